/* C interface to the libsepol internals modgate needs.
 *
 * libsepol 3.4's shared library hides the policydb, avtab, conditional and sidtab
 * internals, and <sepol/policydb/conditional.h> does not compile as C++ (a struct
 * member is named `bool`). modgate therefore links libsepol statically and reaches
 * those internals only through this file, which is compiled as C. Nothing outside
 * scanner/selinux/ includes it.
 *
 * Types, classes and booleans are named by their policy values: types and classes
 * are 1-based (0 means "none"), booleans and conditional nodes are 0-based indexes.
 * Permissions are bit masks within their class.
 *
 * libsepol's access computation works on one process-wide policy and SID table.
 * mg_policy_activate() makes a policy the current one; every function here that
 * computes a decision activates its policy first, so several policies may be loaded,
 * but calls must not run concurrently.
 */
#ifndef MODGATE_SEPOL_SHIM_H
#define MODGATE_SEPOL_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mg_policy mg_policy;

/* Reads a binary kernel policy from memory. On failure returns NULL and writes a
 * one-line reason into err. The data is copied; the caller may free it. */
mg_policy* mg_policy_load(const void* data, size_t size, char* err, size_t err_size);
void mg_policy_free(mg_policy* policy);

unsigned mg_policy_version(const mg_policy* policy);
int mg_policy_mls(const mg_policy* policy);

/* Symbols. */
uint32_t mg_type_count(const mg_policy* policy);
uint32_t mg_type_value(const mg_policy* policy, const char* name);
const char* mg_type_name(const mg_policy* policy, uint32_t type);
int mg_type_is_attribute(const mg_policy* policy, uint32_t type);
/* Writes up to max attribute values of a type; returns how many it has. */
size_t mg_type_attributes(const mg_policy* policy, uint32_t type, uint32_t* out, size_t max);

uint32_t mg_class_value(const mg_policy* policy, const char* name);
const char* mg_class_name(const mg_policy* policy, uint32_t tclass);
/* Permission bit of name in tclass (common permissions included); 0 if unknown. */
uint32_t mg_perm_bit(const mg_policy* policy, uint32_t tclass, const char* name);
/* Name of the permission at bit index (0..31) of tclass; NULL if none. */
const char* mg_perm_name(const mg_policy* policy, uint32_t tclass, unsigned bit_index);

uint32_t mg_role_value(const mg_policy* policy, const char* name);
int mg_role_has_type(const mg_policy* policy, uint32_t role, uint32_t type);

/* Booleans: current states, and setting them all at once (re-evaluates every
 * conditional rule, as the kernel does on a boolean commit). */
uint32_t mg_bool_count(const mg_policy* policy);
const char* mg_bool_name(const mg_policy* policy, uint32_t index);
int mg_bool_index(const mg_policy* policy, const char* name); /* -1 if unknown */
int mg_bool_state(const mg_policy* policy, uint32_t index);
int mg_bool_set_states(mg_policy* policy, const int* states, size_t count);

/* Conditional expressions, in the policy's reverse Polish notation. */
typedef struct mg_cond_token {
  uint32_t op;      /* 1 bool, 2 not, 3 or, 4 and, 5 xor, 6 eq, 7 neq */
  uint32_t boolean; /* 0-based boolean index when op == 1 */
} mg_cond_token;
uint32_t mg_cond_count(const mg_policy* policy);
size_t mg_cond_expr(const mg_policy* policy, uint32_t cond, mg_cond_token* out, size_t max);
int mg_cond_state(const mg_policy* policy, uint32_t cond);

/* Type enforcement only, attributes expanded: the permissions of tclass that
 * allow rules grant source on target now (unconditional and enabled conditional). */
uint32_t mg_te_allowed(const mg_policy* policy, uint32_t source, uint32_t target, uint32_t tclass);
/* The permissions unconditional allow rules grant (booleans cannot remove them). */
uint32_t mg_te_unconditional(const mg_policy* policy, uint32_t source, uint32_t target, uint32_t tclass);

/* One conditional allow rule that covers (source, target, tclass): it is in effect
 * when conditional node `cond` evaluates to `branch`. */
typedef struct mg_cond_grant {
  uint32_t cond;
  int branch;
  uint32_t perms;
} mg_cond_grant;
/* Writes up to max grants whose permissions intersect perms; returns how many exist. */
size_t mg_cond_grants(const mg_policy* policy, uint32_t source, uint32_t target, uint32_t tclass, uint32_t perms,
                      mg_cond_grant* out, size_t max);

/* The kernel's decision for a type-level question. The subject is system_u:system_r
 * with the policy's lowest level (so user-based constraints pass), or the full
 * source_context when given (so they are judged). The target is the subject's own
 * context when target == the subject's type (sockets, the process itself);
 * otherwise an object the subject creates: its user and level, role object_r
 * (the subject's role for process and process2, as for a transition).
 * reason gets SEPOL_COMPUTEAV_* bits; *constraint_text (may be NULL) receives the
 * failing constraint expression, to be freed with free(). Returns 0 on success. */
typedef struct mg_decision {
  uint32_t allowed;
  unsigned reason;
  char* constraint_text;
} mg_decision;
int mg_compute(mg_policy* policy, const char* source_context, uint32_t source, uint32_t target, uint32_t tclass,
               uint32_t requested, mg_decision* out);
/* The same decision from libsepol's computation alone. mg_compute decides by its
 * own text-free evaluation of allow rules and constraints (the kernel's algorithm)
 * when no constraint removes a permission and no role transition or type bound is
 * involved, and asks libsepol otherwise; this one always asks libsepol, so tests
 * can prove the two agree. */
int mg_compute_reference(mg_policy* policy, const char* source_context, uint32_t source, uint32_t target,
                         uint32_t tclass, uint32_t requested, mg_decision* out);
/* 0 if context is valid in the policy; its type is written to *type. */
int mg_context_check(mg_policy* policy, const char* context, uint32_t* type);

/* type_transition lookup as the kernel does it (exact types, unconditional then
 * enabled conditional rules). Returns the new type or 0 when there is no rule. */
uint32_t mg_type_transition(const mg_policy* policy, uint32_t source, uint32_t target, uint32_t tclass);

/* The first portcon entry matching protocol (6 tcp, 17 udp) and port, in the
 * policy's order (the kernel's). Returns its type and writes its range; returns
 * 0 when none matches (the port then has the "port" initial SID). */
uint32_t mg_port_type(const mg_policy* policy, unsigned protocol, unsigned port, unsigned* low, unsigned* high);
/* Type of the named initial SID ("port", "file", "unlabeled"...); 0 if none. */
uint32_t mg_initial_sid_type(const mg_policy* policy, const char* name);

/* Types an attribute stands for (a type stands for itself); returns how many. */
size_t mg_attribute_types(const mg_policy *policy, uint32_t attribute, uint32_t *out, size_t max);

/* The allow rules of conditional node `cond` in branch `branch` (1 true list, 0
 * false list): writes up to max of them; returns how many there are. */
typedef struct mg_rule {
	uint32_t source; /* type or attribute */
	uint32_t target;
	uint32_t tclass;
	uint32_t perms;
} mg_rule;
size_t mg_cond_rules(const mg_policy *policy, uint32_t cond, int branch, mg_rule *out, size_t max);

/* In-memory changes for the what-if of a plan (never written anywhere). */
int mg_add_allow(mg_policy *policy, uint32_t source, uint32_t target, uint32_t tclass, uint32_t perms);
/* Puts a portcon entry for exactly this port first, as `semanage port` would. */
int mg_set_port_type(mg_policy *policy, unsigned protocol, unsigned port, uint32_t type);

/* Packages a compiled module (.mod, as checkmodule -M -m writes it) with its file
 * contexts into a .pp, as semodule_package does. *out is malloc'ed. */
int mg_package_module(const void *mod, size_t mod_size, const char *fc, size_t fc_size, char **out,
		      size_t *out_size, char *err, size_t err_size);

/* The policy with a CIL module added, as the store would build it: the kernel policy
 * converted to CIL, compiled together with module_cil by libsepol's CIL compiler, and
 * written as a binary policy image (*out is malloc'ed). For modules that declare
 * types, which cannot be inserted into an avtab. */
int mg_policy_with_cil(const mg_policy *policy, const char *module_cil, size_t module_size, char **out,
		       size_t *out_size, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif
#endif
