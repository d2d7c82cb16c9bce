/* Implementation of sepol_shim.h over libsepol 3.4 internals (static library).
 * Compiled as C: <sepol/policydb/conditional.h> has a member named `bool`. */
#define _GNU_SOURCE
#include "scanner/selinux/sepol_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/debug.h>
#include <sepol/handle.h>
#include <sepol/cil/cil.h>
#include <sepol/kernel_to_cil.h>
#include <sepol/module.h>
#include <sepol/policydb.h>
#include <sepol/policydb/avtab.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/constraint.h>
#include <sepol/policydb/mls_types.h>
#include <sepol/policydb/ebitmap.h>
#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/policydb/sidtab.h>

/* One conditional avtab node and the conditional it belongs to. */
typedef struct cond_owner {
	avtab_ptr_t node;
	uint32_t cond;
	int branch;
} cond_owner;

struct mg_policy {
	sepol_policydb_t *sepol;
	policydb_t *p;
	sidtab_t sidtab;
	context_struct_t source_template;
	uint32_t process_class;
	uint32_t process2_class;
	cond_node_t **conds;
	uint32_t cond_count;
	cond_owner *owners; /* sorted by node address */
	size_t owner_count;
};

static mg_policy *active_policy;

/* libsepol reports through a handle callback; keep the last message for the caller. */
typedef struct message_sink {
	char text[256];
} message_sink;

static void capture_message(void *arg, sepol_handle_t *handle, const char *fmt, ...)
{
	message_sink *sink = arg;
	va_list ap;
	(void)handle;
	va_start(ap, fmt);
	vsnprintf(sink->text, sizeof sink->text, fmt, ap);
	va_end(ap);
}

static int compare_owner(const void *a, const void *b)
{
	const cond_owner *x = a, *y = b;
	if (x->node == y->node)
		return 0;
	return (uintptr_t)x->node < (uintptr_t)y->node ? -1 : 1;
}

static int index_conditionals(mg_policy *policy)
{
	cond_node_t *node;
	size_t owners = 0, at = 0;
	uint32_t count = 0;
	for (node = policy->p->cond_list; node; node = node->next) {
		cond_av_list_t *item;
		count++;
		for (item = node->true_list; item; item = item->next)
			owners++;
		for (item = node->false_list; item; item = item->next)
			owners++;
	}
	policy->conds = calloc(count ? count : 1, sizeof *policy->conds);
	policy->owners = calloc(owners ? owners : 1, sizeof *policy->owners);
	if (!policy->conds || !policy->owners)
		return -1;
	count = 0;
	for (node = policy->p->cond_list; node; node = node->next, count++) {
		cond_av_list_t *item;
		policy->conds[count] = node;
		for (item = node->true_list; item; item = item->next)
			policy->owners[at++] = (cond_owner){item->node, count, 1};
		for (item = node->false_list; item; item = item->next)
			policy->owners[at++] = (cond_owner){item->node, count, 0};
	}
	policy->cond_count = count;
	policy->owner_count = owners;
	qsort(policy->owners, owners, sizeof *policy->owners, compare_owner);
	return 0;
}

static const cond_owner *find_owner(const mg_policy *policy, avtab_ptr_t node)
{
	cond_owner key = {node, 0, 0};
	return bsearch(&key, policy->owners, policy->owner_count, sizeof key, compare_owner);
}

static void init_template(const mg_policy *policy, context_struct_t *context, const char *role)
{
	policydb_t *p = policy->p;
	user_datum_t *user = hashtab_search(p->p_users.table, (hashtab_key_t) "system_u");
	role_datum_t *role_datum = hashtab_search(p->p_roles.table, (hashtab_key_t)role);
	memset(context, 0, sizeof *context);
	context->user = user ? user->s.value : 1;
	context->role = role_datum ? role_datum->s.value : OBJECT_R_VAL;
	context->type = 1;
	/* The lowest sensitivity with no categories, for both ends of the range. */
	if (p->mls) {
		context->range.level[0].sens = 1;
		context->range.level[1].sens = 1;
	}
}

mg_policy *mg_policy_load(const void *data, size_t size, char *err, size_t err_size)
{
	message_sink sink = {""};
	sepol_handle_t *handle = NULL;
	sepol_policy_file_t *file = NULL;
	mg_policy *policy = NULL;
	int ok = 0;

	sepol_debug(0);
	handle = sepol_handle_create();
	policy = calloc(1, sizeof *policy);
	if (!handle || !policy || sepol_policy_file_create(&file) < 0 ||
	    sepol_policydb_create(&policy->sepol) < 0) {
		snprintf(err, err_size, "out of memory");
		goto out;
	}
	sepol_msg_set_callback(handle, capture_message, &sink);
	sepol_policy_file_set_handle(file, handle);
	sepol_policy_file_set_mem(file, (char *)data, size);
	if (sepol_policydb_read(policy->sepol, file) < 0) {
		size_t len = strlen(sink.text);
		while (len && (sink.text[len - 1] == '\n' || sink.text[len - 1] == ' '))
			sink.text[--len] = '\0';
		snprintf(err, err_size, "not a readable binary SELinux policy%s%s", len ? ": " : "",
			 sink.text);
		goto out;
	}
	policy->p = &policy->sepol->p;
	if (policy->p->policy_type != POLICY_KERN) {
		snprintf(err, err_size, "a policy module, not a kernel policy");
		goto out;
	}
	if (sepol_sidtab_init(&policy->sidtab) < 0 || index_conditionals(policy) < 0) {
		snprintf(err, err_size, "out of memory");
		goto out;
	}
	init_template(policy, &policy->source_template, "system_r");
	policy->process_class = mg_class_value(policy, "process");
	policy->process2_class = mg_class_value(policy, "process2");
	ok = 1;
out:
	if (file)
		sepol_policy_file_free(file);
	if (handle)
		sepol_handle_destroy(handle);
	if (!ok && policy) {
		mg_policy_free(policy);
		policy = NULL;
	}
	return policy;
}

void mg_policy_free(mg_policy *policy)
{
	if (!policy)
		return;
	if (active_policy == policy)
		active_policy = NULL;
	if (policy->p)
		sepol_sidtab_destroy(&policy->sidtab);
	if (policy->sepol)
		sepol_policydb_free(policy->sepol);
	free(policy->conds);
	free(policy->owners);
	free(policy);
}

static void activate(mg_policy *policy)
{
	if (active_policy == policy)
		return;
	sepol_set_policydb(policy->p);
	sepol_set_sidtab(&policy->sidtab);
	active_policy = policy;
}

unsigned mg_policy_version(const mg_policy *policy) { return policy->p->policyvers; }
int mg_policy_mls(const mg_policy *policy) { return policy->p->mls; }

uint32_t mg_type_count(const mg_policy *policy) { return policy->p->p_types.nprim; }

uint32_t mg_type_value(const mg_policy *policy, const char *name)
{
	type_datum_t *type = hashtab_search(policy->p->p_types.table, (hashtab_key_t)name);
	if (!type)
		return 0;
	/* Aliases share their primary's value. */
	return type->flavor == TYPE_ALIAS && type->primary ? type->primary : type->s.value;
}

const char *mg_type_name(const mg_policy *policy, uint32_t type)
{
	if (type == 0 || type > policy->p->p_types.nprim)
		return NULL;
	return policy->p->p_type_val_to_name[type - 1];
}

int mg_type_is_attribute(const mg_policy *policy, uint32_t type)
{
	if (type == 0 || type > policy->p->p_types.nprim || !policy->p->type_val_to_struct[type - 1])
		return 0;
	return policy->p->type_val_to_struct[type - 1]->flavor == TYPE_ATTRIB;
}

size_t mg_type_attributes(const mg_policy *policy, uint32_t type, uint32_t *out, size_t max)
{
	ebitmap_node_t *node;
	unsigned bit;
	size_t count = 0;
	if (type == 0 || type > policy->p->p_types.nprim)
		return 0;
	ebitmap_for_each_positive_bit(&policy->p->type_attr_map[type - 1], node, bit)
	{
		if (bit + 1 == type || !mg_type_is_attribute(policy, bit + 1))
			continue;
		if (count < max)
			out[count] = bit + 1;
		count++;
	}
	return count;
}

static class_datum_t *class_of(const mg_policy *policy, uint32_t tclass)
{
	if (tclass == 0 || tclass > policy->p->p_classes.nprim)
		return NULL;
	return policy->p->class_val_to_struct[tclass - 1];
}

uint32_t mg_class_value(const mg_policy *policy, const char *name)
{
	class_datum_t *datum = hashtab_search(policy->p->p_classes.table, (hashtab_key_t)name);
	return datum ? datum->s.value : 0;
}

const char *mg_class_name(const mg_policy *policy, uint32_t tclass)
{
	if (tclass == 0 || tclass > policy->p->p_classes.nprim)
		return NULL;
	return policy->p->p_class_val_to_name[tclass - 1];
}

uint32_t mg_perm_bit(const mg_policy *policy, uint32_t tclass, const char *name)
{
	class_datum_t *datum = class_of(policy, tclass);
	perm_datum_t *perm;
	if (!datum)
		return 0;
	perm = hashtab_search(datum->permissions.table, (hashtab_key_t)name);
	if (!perm && datum->comdatum)
		perm = hashtab_search(datum->comdatum->permissions.table, (hashtab_key_t)name);
	if (!perm || perm->s.value == 0 || perm->s.value > 32)
		return 0;
	return UINT32_C(1) << (perm->s.value - 1);
}

typedef struct perm_lookup {
	uint32_t value;
	const char *name;
} perm_lookup;

static int match_perm_value(hashtab_key_t key, hashtab_datum_t datum, void *arg)
{
	perm_lookup *lookup = arg;
	if (((perm_datum_t *)datum)->s.value == lookup->value) {
		lookup->name = key;
		return 1;
	}
	return 0;
}

const char *mg_perm_name(const mg_policy *policy, uint32_t tclass, unsigned bit_index)
{
	class_datum_t *datum = class_of(policy, tclass);
	perm_lookup lookup = {bit_index + 1, NULL};
	if (!datum || bit_index >= 32)
		return NULL;
	hashtab_map(datum->permissions.table, match_perm_value, &lookup);
	if (!lookup.name && datum->comdatum)
		hashtab_map(datum->comdatum->permissions.table, match_perm_value, &lookup);
	return lookup.name;
}

uint32_t mg_role_value(const mg_policy *policy, const char *name)
{
	role_datum_t *role = hashtab_search(policy->p->p_roles.table, (hashtab_key_t)name);
	return role ? role->s.value : 0;
}

int mg_role_has_type(const mg_policy *policy, uint32_t role, uint32_t type)
{
	role_datum_t *datum;
	if (role == 0 || role > policy->p->p_roles.nprim || type == 0)
		return 0;
	datum = policy->p->role_val_to_struct[role - 1];
	return datum && ebitmap_get_bit(&datum->types.types, type - 1);
}

uint32_t mg_bool_count(const mg_policy *policy) { return policy->p->p_bools.nprim; }

const char *mg_bool_name(const mg_policy *policy, uint32_t index)
{
	return index < policy->p->p_bools.nprim ? policy->p->p_bool_val_to_name[index] : NULL;
}

int mg_bool_index(const mg_policy *policy, const char *name)
{
	cond_bool_datum_t *datum = hashtab_search(policy->p->p_bools.table, (hashtab_key_t)name);
	return datum ? (int)datum->s.value - 1 : -1;
}

int mg_bool_state(const mg_policy *policy, uint32_t index)
{
	return index < policy->p->p_bools.nprim ? policy->p->bool_val_to_struct[index]->state : 0;
}

int mg_bool_set_states(mg_policy *policy, const int *states, size_t count)
{
	size_t i;
	if (count != policy->p->p_bools.nprim)
		return -1;
	for (i = 0; i < count; i++)
		policy->p->bool_val_to_struct[i]->state = states[i] ? 1 : 0;
	return evaluate_conds(policy->p) < 0 ? -1 : 0;
}

uint32_t mg_cond_count(const mg_policy *policy) { return policy->cond_count; }

size_t mg_cond_expr(const mg_policy *policy, uint32_t cond, mg_cond_token *out, size_t max)
{
	cond_expr_t *expr;
	size_t count = 0;
	if (cond >= policy->cond_count)
		return 0;
	for (expr = policy->conds[cond]->expr; expr; expr = expr->next, count++) {
		if (count < max) {
			out[count].op = expr->expr_type;
			out[count].boolean = expr->expr_type == COND_BOOL ? expr->bool - 1 : 0;
		}
	}
	return count;
}

int mg_cond_state(const mg_policy *policy, uint32_t cond)
{
	return cond < policy->cond_count ? policy->conds[cond]->cur_state : 0;
}

/* Calls visit for every (source attribute, target attribute) key of the pair. */
typedef void (*pair_visitor)(const mg_policy *policy, avtab_key_t *key, void *arg);

static void for_each_pair(const mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass,
			  uint16_t specified, pair_visitor visit, void *arg)
{
	policydb_t *p = policy->p;
	ebitmap_node_t *snode, *tnode;
	unsigned i, j;
	if (source == 0 || target == 0 || source > p->p_types.nprim || target > p->p_types.nprim)
		return;
	ebitmap_for_each_positive_bit(&p->type_attr_map[source - 1], snode, i)
	{
		ebitmap_for_each_positive_bit(&p->type_attr_map[target - 1], tnode, j)
		{
			avtab_key_t key;
			key.source_type = (uint16_t)(i + 1);
			key.target_type = (uint16_t)(j + 1);
			key.target_class = (uint16_t)tclass;
			key.specified = specified;
			visit(policy, &key, arg);
		}
	}
}

typedef struct te_sum {
	uint32_t unconditional;
	uint32_t conditional_enabled;
} te_sum;

static void add_te(const mg_policy *policy, avtab_key_t *key, void *arg)
{
	te_sum *sum = arg;
	avtab_datum_t *datum = avtab_search(&policy->p->te_avtab, key);
	avtab_ptr_t node;
	if (datum)
		sum->unconditional |= datum->data;
	for (node = avtab_search_node(&policy->p->te_cond_avtab, key); node;
	     node = avtab_search_node_next(node, key->specified)) {
		if (node->key.specified & AVTAB_ENABLED)
			sum->conditional_enabled |= node->datum.data;
	}
}

uint32_t mg_te_allowed(const mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass)
{
	te_sum sum = {0, 0};
	for_each_pair(policy, source, target, tclass, AVTAB_ALLOWED, add_te, &sum);
	return sum.unconditional | sum.conditional_enabled;
}

uint32_t mg_te_unconditional(const mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass)
{
	te_sum sum = {0, 0};
	for_each_pair(policy, source, target, tclass, AVTAB_ALLOWED, add_te, &sum);
	return sum.unconditional;
}

typedef struct grant_collector {
	uint32_t perms;
	mg_cond_grant *out;
	size_t max;
	size_t count;
} grant_collector;

static void add_grants(const mg_policy *policy, avtab_key_t *key, void *arg)
{
	grant_collector *collector = arg;
	avtab_ptr_t node;
	for (node = avtab_search_node(&policy->p->te_cond_avtab, key); node;
	     node = avtab_search_node_next(node, key->specified)) {
		const cond_owner *owner;
		size_t k;
		uint32_t perms = node->datum.data & collector->perms;
		if (!perms || !(owner = find_owner(policy, node)))
			continue;
		for (k = 0; k < collector->count && k < collector->max; k++) {
			if (collector->out[k].cond == owner->cond && collector->out[k].branch == owner->branch) {
				collector->out[k].perms |= perms;
				break;
			}
		}
		if (k < collector->count && k < collector->max)
			continue;
		if (collector->count < collector->max)
			collector->out[collector->count] = (mg_cond_grant){owner->cond, owner->branch, perms};
		collector->count++;
	}
}

size_t mg_cond_grants(const mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass,
		      uint32_t perms, mg_cond_grant *out, size_t max)
{
	grant_collector collector = {perms, out, max, 0};
	for_each_pair(policy, source, target, tclass, AVTAB_ALLOWED, add_grants, &collector);
	return collector.count;
}

static int type_sid(mg_policy *policy, const context_struct_t *template_context, uint32_t type,
		    sepol_security_id_t *sid)
{
	context_struct_t context = *template_context;
	context.type = type;
	return sepol_sidtab_context_to_sid(&policy->sidtab, &context, sid);
}

int mg_context_check(mg_policy *policy, const char *context, uint32_t *type)
{
	sepol_security_id_t sid;
	context_struct_t *parsed;
	activate(policy);
	if (sepol_context_to_sid(context, strlen(context) + 1, &sid) < 0)
		return -1;
	parsed = sepol_sidtab_search(&policy->sidtab, sid);
	if (!parsed)
		return -1;
	*type = parsed->type;
	return 0;
}

/* The kernel's constraint_expr_eval, without building an explanation (libsepol
 * 3.4 formats every expression it evaluates, which costs more than the decision).
 * Returns 1 true, 0 false, -1 for an expression this evaluator does not handle. */
static int eval_constraint(const policydb_t *p, const context_struct_t *scontext,
			   const context_struct_t *tcontext, const constraint_expr_t *expr)
{
	int stack[64];
	int sp = -1;
	const constraint_expr_t *e;
	for (e = expr; e; e = e->next) {
		uint32_t val1 = 0, val2 = 0;
		const mls_level_t *l1 = NULL, *l2 = NULL;
		const context_struct_t *c;
		if (sp >= (int)(sizeof stack / sizeof *stack) - 1)
			return -1;
		switch (e->expr_type) {
		case CEXPR_NOT:
			if (sp < 0)
				return -1;
			stack[sp] = !stack[sp];
			continue;
		case CEXPR_AND:
		case CEXPR_OR:
			if (sp < 1)
				return -1;
			sp--;
			stack[sp] = e->expr_type == CEXPR_AND ? (stack[sp] && stack[sp + 1])
							      : (stack[sp] || stack[sp + 1]);
			continue;
		case CEXPR_ATTR:
			switch (e->attr) {
			case CEXPR_USER:
				val1 = scontext->user;
				val2 = tcontext->user;
				break;
			case CEXPR_TYPE:
				val1 = scontext->type;
				val2 = tcontext->type;
				break;
			case CEXPR_ROLE: {
				const role_datum_t *r1, *r2;
				val1 = scontext->role;
				val2 = tcontext->role;
				if (e->op == CEXPR_EQ || e->op == CEXPR_NEQ)
					break;
				r1 = p->role_val_to_struct[val1 - 1];
				r2 = p->role_val_to_struct[val2 - 1];
				if (e->op == CEXPR_DOM)
					stack[++sp] = ebitmap_get_bit(&r1->dominates, val2 - 1);
				else if (e->op == CEXPR_DOMBY)
					stack[++sp] = ebitmap_get_bit(&r2->dominates, val1 - 1);
				else if (e->op == CEXPR_INCOMP)
					stack[++sp] = !ebitmap_get_bit(&r1->dominates, val2 - 1) &&
						      !ebitmap_get_bit(&r2->dominates, val1 - 1);
				else
					return -1;
				continue;
			}
			case CEXPR_L1L2:
				l1 = &scontext->range.level[0];
				l2 = &tcontext->range.level[0];
				break;
			case CEXPR_L1H2:
				l1 = &scontext->range.level[0];
				l2 = &tcontext->range.level[1];
				break;
			case CEXPR_H1L2:
				l1 = &scontext->range.level[1];
				l2 = &tcontext->range.level[0];
				break;
			case CEXPR_H1H2:
				l1 = &scontext->range.level[1];
				l2 = &tcontext->range.level[1];
				break;
			case CEXPR_L1H1:
				l1 = &scontext->range.level[0];
				l2 = &scontext->range.level[1];
				break;
			case CEXPR_L2H2:
				l1 = &tcontext->range.level[0];
				l2 = &tcontext->range.level[1];
				break;
			default:
				return -1;
			}
			if (l1) {
				switch (e->op) {
				case CEXPR_EQ: stack[++sp] = mls_level_eq(l1, l2); break;
				case CEXPR_NEQ: stack[++sp] = !mls_level_eq(l1, l2); break;
				case CEXPR_DOM: stack[++sp] = mls_level_dom(l1, l2); break;
				case CEXPR_DOMBY: stack[++sp] = mls_level_dom(l2, l1); break;
				case CEXPR_INCOMP: stack[++sp] = mls_level_incomp(l2, l1); break;
				default: return -1;
				}
				continue;
			}
			if (e->op == CEXPR_EQ)
				stack[++sp] = val1 == val2;
			else if (e->op == CEXPR_NEQ)
				stack[++sp] = val1 != val2;
			else
				return -1;
			continue;
		case CEXPR_NAMES:
			if (e->attr & CEXPR_XTARGET)
				return -1;
			c = (e->attr & CEXPR_TARGET) ? tcontext : scontext;
			if (e->attr & CEXPR_USER)
				val1 = c->user;
			else if (e->attr & CEXPR_ROLE)
				val1 = c->role;
			else if (e->attr & CEXPR_TYPE)
				val1 = c->type;
			else
				return -1;
			if (e->op == CEXPR_EQ)
				stack[++sp] = ebitmap_get_bit(&e->names, val1 - 1);
			else if (e->op == CEXPR_NEQ)
				stack[++sp] = !ebitmap_get_bit(&e->names, val1 - 1);
			else
				return -1;
			continue;
		default:
			return -1;
		}
	}
	return sp == 0 ? stack[0] : -1;
}

/* The kernel's decision when only type enforcement decides it: *allowed gets what
 * allow rules grant of requested. Returns 0 ("ask libsepol") when a constraint
 * removes a permission (libsepol then explains which), when role transitions or
 * type bounds are involved, or for an expression this evaluator does not handle. */
static int decide_fast(const mg_policy *policy, const context_struct_t *scontext, const context_struct_t *tcontext,
		       uint32_t tclass, uint32_t requested, uint32_t *allowed)
{
	const policydb_t *p = policy->p;
	const class_datum_t *datum = p->class_val_to_struct[tclass - 1];
	const type_datum_t *source = p->type_val_to_struct[scontext->type - 1];
	const constraint_node_t *constraint;
	uint32_t granted = mg_te_allowed(policy, scontext->type, tcontext->type, tclass) & requested;
	if (!source || source->bounds)
		return 0;
	if ((tclass == policy->process_class || tclass == policy->process2_class) &&
	    scontext->role != tcontext->role)
		return 0;
	for (constraint = datum->constraints; constraint; constraint = constraint->next) {
		if (!(constraint->permissions & granted))
			continue;
		if (eval_constraint(p, scontext, tcontext, constraint->expr) != 1)
			return 0;
	}
	*allowed = granted;
	return 1;
}

static int compute(mg_policy *policy, const char *source_context, uint32_t source, uint32_t target,
		   uint32_t tclass, uint32_t requested, int fast, mg_decision *out)
{
	sepol_security_id_t ssid, tsid;
	struct sepol_av_decision decision;
	context_struct_t *subject;
	context_struct_t object;
	unsigned reason = 0;
	char *text = NULL;
	memset(out, 0, sizeof *out);
	if (source == 0 || target == 0 || source > policy->p->p_types.nprim ||
	    target > policy->p->p_types.nprim || tclass == 0 || tclass > policy->p->p_classes.nprim)
		return -1;
	activate(policy);
	if (source_context) {
		if (sepol_context_to_sid(source_context, strlen(source_context) + 1, &ssid) < 0)
			return -1;
	} else if (type_sid(policy, &policy->source_template, source, &ssid) < 0) {
		return -1;
	}
	subject = sepol_sidtab_search(&policy->sidtab, ssid);
	if (!subject)
		return -1;
	/* Sockets and the process itself carry the subject's whole context. Other
	 * objects are ones the subject creates: its user and level, role object_r
	 * (processes keep the subject's role). */
	object = *subject;
	object.type = target;
	if (target != subject->type && tclass != policy->process_class && tclass != policy->process2_class)
		object.role = OBJECT_R_VAL;
	if (fast && decide_fast(policy, subject, target == subject->type ? subject : &object, tclass, requested,
				&out->allowed)) {
		out->reason = out->allowed == requested ? 0 : SEPOL_COMPUTEAV_TE;
		return 0;
	}
	if (target == subject->type)
		tsid = ssid;
	else if (sepol_sidtab_context_to_sid(&policy->sidtab, &object, &tsid) < 0)
		return -1;
	/* Formatting the constraint text costs more than the decision itself, so it is
	 * asked for only when a constraint is what denies. */
	if (sepol_compute_av_reason(ssid, tsid, (sepol_security_class_t)tclass, requested, &decision,
				    &reason) < 0)
		return -1;
	if ((reason & SEPOL_COMPUTEAV_CONS) &&
	    sepol_compute_av_reason_buffer(ssid, tsid, (sepol_security_class_t)tclass, requested,
					   &decision, &reason, &text, 0) < 0) {
		free(text);
		return -1;
	}
	out->allowed = decision.allowed;
	out->reason = reason;
	out->constraint_text = text;
	return 0;
}

int mg_compute(mg_policy *policy, const char *source_context, uint32_t source, uint32_t target,
	       uint32_t tclass, uint32_t requested, mg_decision *out)
{
	return compute(policy, source_context, source, target, tclass, requested, 1, out);
}

int mg_compute_reference(mg_policy *policy, const char *source_context, uint32_t source, uint32_t target,
			 uint32_t tclass, uint32_t requested, mg_decision *out)
{
	return compute(policy, source_context, source, target, tclass, requested, 0, out);
}

uint32_t mg_type_transition(const mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass)
{
	avtab_key_t key;
	avtab_datum_t *datum;
	avtab_ptr_t node;
	if (source == 0 || target == 0 || tclass == 0)
		return 0;
	key.source_type = (uint16_t)source;
	key.target_type = (uint16_t)target;
	key.target_class = (uint16_t)tclass;
	key.specified = AVTAB_TRANSITION;
	datum = avtab_search(&policy->p->te_avtab, &key);
	if (datum)
		return datum->data;
	for (node = avtab_search_node(&policy->p->te_cond_avtab, &key); node;
	     node = avtab_search_node_next(node, AVTAB_TRANSITION)) {
		if (node->key.specified & AVTAB_ENABLED)
			return node->datum.data;
	}
	return 0;
}

uint32_t mg_port_type(const mg_policy *policy, unsigned protocol, unsigned port, unsigned *low,
		      unsigned *high)
{
	ocontext_t *entry;
	for (entry = policy->p->ocontexts[OCON_PORT]; entry; entry = entry->next) {
		if (entry->u.port.protocol == protocol && entry->u.port.low_port <= port &&
		    port <= entry->u.port.high_port) {
			*low = entry->u.port.low_port;
			*high = entry->u.port.high_port;
			return entry->context[0].type;
		}
	}
	return 0;
}

uint32_t mg_initial_sid_type(const mg_policy *policy, const char *name)
{
	/* Initial SID numbers are fixed by the kernel ABI. */
	static const char *const names[] = {
	    NULL,	  "kernel",	  "security", "unlabeled",    "fs",	  "file", "file_labels",
	    "init",	  "any_socket", "port",	    "netif",	      "netmsg",	  "node"};
	ocontext_t *entry;
	uint32_t sid = 0, i;
	for (i = 1; i < sizeof names / sizeof *names; i++)
		if (strcmp(names[i], name) == 0)
			sid = i;
	if (!sid)
		return 0;
	for (entry = policy->p->ocontexts[OCON_ISID]; entry; entry = entry->next)
		if (entry->sid[0] == sid)
			return entry->context[0].type;
	return 0;
}

size_t mg_attribute_types(const mg_policy *policy, uint32_t attribute, uint32_t *out, size_t max)
{
	ebitmap_node_t *node;
	unsigned bit;
	size_t count = 0;
	if (attribute == 0 || attribute > policy->p->p_types.nprim)
		return 0;
	if (!mg_type_is_attribute(policy, attribute)) {
		if (max)
			out[0] = attribute;
		return 1;
	}
	ebitmap_for_each_positive_bit(&policy->p->attr_type_map[attribute - 1], node, bit)
	{
		if (count < max)
			out[count] = bit + 1;
		count++;
	}
	return count;
}

size_t mg_cond_rules(const mg_policy *policy, uint32_t cond, int branch, mg_rule *out, size_t max)
{
	cond_av_list_t *item;
	size_t count = 0;
	if (cond >= policy->cond_count)
		return 0;
	for (item = branch ? policy->conds[cond]->true_list : policy->conds[cond]->false_list; item;
	     item = item->next) {
		avtab_key_t *key = &item->node->key;
		if ((key->specified & AVTAB_ALLOWED) == 0)
			continue;
		if (count < max)
			out[count] = (mg_rule){key->source_type, key->target_type, key->target_class,
					       item->node->datum.data};
		count++;
	}
	return count;
}

int mg_add_allow(mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass, uint32_t perms)
{
	avtab_key_t key;
	avtab_datum_t *datum;
	if (source == 0 || target == 0 || tclass == 0)
		return -1;
	key.source_type = (uint16_t)source;
	key.target_type = (uint16_t)target;
	key.target_class = (uint16_t)tclass;
	key.specified = AVTAB_ALLOWED;
	datum = avtab_search(&policy->p->te_avtab, &key);
	if (datum) {
		datum->data |= perms;
		return 0;
	}
	{
		avtab_datum_t fresh;
		memset(&fresh, 0, sizeof fresh);
		fresh.data = perms;
		return avtab_insert(&policy->p->te_avtab, &key, &fresh) == 0 ? 0 : -1;
	}
}

int mg_set_port_type(mg_policy *policy, unsigned protocol, unsigned port, uint32_t type)
{
	ocontext_t *entry = calloc(1, sizeof *entry);
	if (!entry)
		return -1;
	entry->u.port.protocol = (uint8_t)protocol;
	entry->u.port.low_port = (uint16_t)port;
	entry->u.port.high_port = (uint16_t)port;
	entry->context[0] = policy->source_template;
	entry->context[0].role = OBJECT_R_VAL;
	entry->context[0].type = type;
	/* Share nothing with the template: a fresh range with the lowest level. */
	memset(&entry->context[0].range, 0, sizeof entry->context[0].range);
	if (policy->p->mls) {
		entry->context[0].range.level[0].sens = 1;
		entry->context[0].range.level[1].sens = 1;
	}
	entry->next = policy->p->ocontexts[OCON_PORT];
	policy->p->ocontexts[OCON_PORT] = entry;
	return 0;
}

int mg_package_module(const void *mod, size_t mod_size, const char *fc, size_t fc_size, char **out,
		      size_t *out_size, char *err, size_t err_size)
{
	sepol_module_package_t *package = NULL;
	sepol_policy_file_t *input = NULL, *output = NULL;
	FILE *stream = NULL;
	int rc = -1;
	*out = NULL;
	*out_size = 0;
	sepol_debug(0);
	if (sepol_module_package_create(&package) < 0 || sepol_policy_file_create(&input) < 0 ||
	    sepol_policy_file_create(&output) < 0) {
		snprintf(err, err_size, "out of memory");
		goto done;
	}
	sepol_policy_file_set_mem(input, (char *)mod, mod_size);
	if (sepol_policydb_read(sepol_module_package_get_policy(package), input) < 0) {
		snprintf(err, err_size, "not a compiled policy module");
		goto done;
	}
	if (fc_size && sepol_module_package_set_file_contexts(package, (char *)fc, fc_size) < 0) {
		snprintf(err, err_size, "cannot attach the file contexts");
		goto done;
	}
	stream = open_memstream(out, out_size);
	if (!stream) {
		snprintf(err, err_size, "out of memory");
		goto done;
	}
	sepol_policy_file_set_fp(output, stream);
	if (sepol_module_package_write(package, output) < 0) {
		snprintf(err, err_size, "cannot write the module package");
		goto done;
	}
	rc = 0;
done:
	if (stream && fclose(stream) != 0)
		rc = -1;
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*out_size = 0;
	}
	if (input)
		sepol_policy_file_free(input);
	if (output)
		sepol_policy_file_free(output);
	if (package)
		sepol_module_package_free(package);
	return rc;
}

int mg_policy_with_cil(const mg_policy *policy, const char *module_cil, size_t module_size, char **out,
		       size_t *out_size, char *err, size_t err_size)
{
	char *kernel = NULL;
	size_t kernel_size = 0;
	FILE *stream = NULL;
	cil_db_t *db = NULL;
	sepol_policydb_t *built = NULL;
	sepol_handle_t *handle = NULL;
	void *image = NULL;
	size_t image_size = 0;
	int rc = -1;
	*out = NULL;
	*out_size = 0;
	stream = open_memstream(&kernel, &kernel_size);
	if (!stream || sepol_kernel_policydb_to_cil(stream, policy->p) != 0) {
		snprintf(err, err_size, "cannot convert the policy to CIL");
		if (stream)
			fclose(stream);
		goto done;
	}
	fclose(stream);
	cil_set_log_level(CIL_ERR);
	cil_db_init(&db);
	cil_set_mls(db, policy->p->mls);
	cil_set_policy_version(db, (int)policy->p->policyvers);
	if (cil_add_file(db, "policy", kernel, kernel_size) != SEPOL_OK ||
	    cil_add_file(db, "module", module_cil, module_size) != SEPOL_OK) {
		snprintf(err, err_size, "CIL refused the module text");
		goto done;
	}
	if (cil_compile(db) != SEPOL_OK) {
		snprintf(err, err_size, "the module does not compile with the policy (CIL)");
		goto done;
	}
	if (cil_build_policydb(db, &built) != SEPOL_OK) {
		snprintf(err, err_size, "CIL could not build the policy");
		goto done;
	}
	handle = sepol_handle_create();
	if (!handle || sepol_policydb_to_image(handle, built, &image, &image_size) != 0) {
		snprintf(err, err_size, "cannot write the rebuilt policy");
		goto done;
	}
	*out = image;
	*out_size = image_size;
	image = NULL;
	rc = 0;
done:
	free(image);
	free(kernel);
	if (built)
		sepol_policydb_free(built);
	if (db)
		cil_db_destroy(&db);
	if (handle)
		sepol_handle_destroy(handle);
	return rc;
}
