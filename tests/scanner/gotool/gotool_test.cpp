// Facts about Go tooling, read from fixture roots and from the real Go install.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "scanner/gotool/accounts.h"
#include "scanner/gotool/cron.h"
#include "scanner/gotool/go_env.h"
#include "scanner/gotool/go_install.h"
#include "scanner/gotool/subjects.h"
#include "scanner/gotool/systemd_units.h"
#include "scanner/ruleset/reader.h"
#include "tests/support/fixture_root.h"

namespace modgate::gotool {
namespace {

void makeExecutable(const test::TempRoot& root, const std::string& logical,
                    const std::string& content = "#!/bin/false\n") {
  root.write(logical, content);
  ASSERT_EQ(::chmod((root.path() + logical).c_str(), 0755), 0);
}

TEST(SystemdUnits, ReadsServiceSettingsDropInsAndEnvironmentFiles) {
  test::TempRoot root;
  root.write(
      "/lib/systemd/system/gitlab-runner.service",
      "[Unit]\nDescription=runner\n[Service]\nExecStart=/usr/bin/gitlab-runner run \\\n"
      "  --working-directory /var/lib/gitlab-runner\nUser=gitlab-runner\n"
      "Environment=\"GOPROXY=https://proxy.corp.example\" GOFLAGS=-mod=mod\n"
      "EnvironmentFile=-/etc/default/gitlab-runner\nEnvironmentFile=/etc/default/missing\n# ExecStart=/bin/false\n");
  root.write("/etc/default/gitlab-runner", "# comment\nGOSUMDB=\"sum.corp.example\"\nexport GOPRIVATE=corp.example\n");
  root.write("/etc/systemd/system/gitlab-runner.service.d/10-selinux.conf",
             "[Service]\nSELinuxContext=system_u:system_r:unconfined_service_t:s0\nUMask=0002\n");
  auto unit = readUnit(root.path(), "gitlab-runner.service");
  ASSERT_TRUE(unit && *unit);
  const Unit& u = **unit;
  EXPECT_EQ(u.path, "/lib/systemd/system/gitlab-runner.service");
  EXPECT_EQ(u.exec_start, (std::vector<std::string>{"/usr/bin/gitlab-runner", "run", "--working-directory",
                                                    "/var/lib/gitlab-runner"}));
  EXPECT_EQ(u.user, "gitlab-runner");
  EXPECT_EQ(u.environment.at("GOPROXY"), "https://proxy.corp.example");
  EXPECT_EQ(u.environment.at("GOFLAGS"), "-mod=mod");
  EXPECT_EQ(u.environment.at("GOSUMDB"), "sum.corp.example");
  EXPECT_EQ(u.environment.at("GOPRIVATE"), "corp.example");
  EXPECT_EQ(u.selinux_context, "system_u:system_r:unconfined_service_t:s0");
  EXPECT_EQ(u.umask, "0002");
  EXPECT_EQ(u.dropins, std::vector<std::string>{"/etc/systemd/system/gitlab-runner.service.d/10-selinux.conf"});
  ASSERT_EQ(u.problems.size(), 1u) << "the non-optional missing EnvironmentFile is reported";
  EXPECT_NE(u.problems[0].find("/etc/default/missing"), std::string::npos);
}

TEST(SystemdUnits, EtcOverridesLibAndMaskedUnitsDoNotExist) {
  test::TempRoot root;
  root.write("/lib/systemd/system/a.service", "[Service]\nExecStart=/usr/bin/go run .\n");
  root.write("/etc/systemd/system/a.service", "[Service]\nExecStart=/usr/local/bin/athens\n");
  root.write("/lib/systemd/system/b.service", "[Service]\nExecStart=/usr/bin/go build\n");
  root.symlink("/dev/null", "/etc/systemd/system/b.service");
  auto a = readUnit(root.path(), "a.service");
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->exec_start.front(), "/usr/local/bin/athens");
  auto b = readUnit(root.path(), "b.service");
  ASSERT_TRUE(b);
  EXPECT_FALSE(*b);
  auto all = readAllServiceUnits(root.path());
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST(SystemdUnits, RecognisesGoToolingCommandLines) {
  EXPECT_EQ(goToolingKind({"/usr/bin/go", "build"}), "go");
  EXPECT_EQ(goToolingKind({"/usr/bin/gitlab-runner", "run"}), "gitlab-runner");
  EXPECT_EQ(goToolingKind({"/home/runner/actions-runner/run.sh"}), "github-actions-runner");
  EXPECT_EQ(goToolingKind({"/usr/bin/java", "-jar", "/opt/jenkins/agent.jar"}), "jenkins-agent");
  EXPECT_EQ(goToolingKind({"/usr/local/bin/athens", "-config_file", "x"}), "athens");
  EXPECT_EQ(goToolingKind({"/bin/sh", "-c", "cd /src && go generate ./..."}), "go");
  EXPECT_FALSE(goToolingKind({"/usr/sbin/nginx"}));
  EXPECT_FALSE(goToolingKind({"/bin/sh", "-c", "echo gopher"}));
  EXPECT_EQ(splitCommandLine("a 'b c' \"d \\\"e\\\"\" f\\ g"),
            (std::vector<std::string>{"a", "b c", "d \"e\"", "f g"}));
}

TEST(Cron, FindsJobsThatRunGoWithTheirEnvironment) {
  test::TempRoot root;
  root.write("/etc/crontab",
             "SHELL=/bin/sh\nPATH=/usr/local/go/bin:/usr/bin:/bin\n"
             "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n"
             "0 3 * * * builder cd /srv/app && go mod download\n");
  root.write("/etc/cron.d/gomod",
             "GOPROXY = https://goproxy.corp.example:3000\n@daily builder /usr/bin/go build ./...\n");
  root.write("/etc/cron.d/ignored.dpkg-old", "@daily root go build\n");
  root.write("/var/spool/cron/crontabs/alice",
             "# m h dom mon dow command\n*/5 * * * * $HOME/bin/go-sync.sh\n"
             "30 2 * * 1 (cd ~/src; go test ./...)\n");
  auto jobs = readGoCronJobs(root.path());
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].file, "/etc/crontab");
  EXPECT_EQ(jobs[0].line, 4);
  EXPECT_EQ(jobs[0].user, "builder");
  EXPECT_TRUE(jobs[0].system);
  EXPECT_EQ(jobs[0].environment.at("PATH"), "/usr/local/go/bin:/usr/bin:/bin");
  EXPECT_EQ(jobs[1].file, "/etc/cron.d/gomod");
  EXPECT_EQ(jobs[1].environment.at("GOPROXY"), "https://goproxy.corp.example:3000");
  EXPECT_EQ(jobs[2].user, "alice");
  EXPECT_FALSE(jobs[2].system);
  EXPECT_FALSE(commandRunsGo("$HOME/bin/go-sync.sh"));
  EXPECT_TRUE(commandRunsGo("/usr/lib/go-1.19/bin/go vet"));
}

TEST(GoEnv, FollowsGosPrecedence) {
  test::TempRoot root;
  root.write("/usr/local/go/go.env",
             "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n");
  root.write("/home/alice/.config/go/env", "GOPROXY=https://goproxy.corp.example\nGOFLAGS=-modcacherw\n");
  GoEnvInputs inputs;
  inputs.root = root.path();
  inputs.home = "/home/alice";
  inputs.goroot = "/usr/local/go";
  inputs.process = {{"GOFLAGS", "-mod=mod"}, {"GOSUMDB", ""}, {"XDG_CACHE_HOME", "/var/cache/alice"}};
  std::vector<std::string> problems;
  auto env = effectiveGoEnv(inputs, problems);
  EXPECT_EQ(env["GOPROXY"].value, "https://goproxy.corp.example");
  EXPECT_EQ(env["GOPROXY"].source, "goenv:/home/alice/.config/go/env");
  EXPECT_EQ(env["GOFLAGS"].value, "-mod=mod");
  EXPECT_EQ(env["GOFLAGS"].source, "process");
  EXPECT_EQ(env["GOSUMDB"].value, "sum.golang.org") << "an empty process value counts as unset";
  EXPECT_EQ(env["GOSUMDB"].source, "goroot:/usr/local/go/go.env");
  EXPECT_EQ(env["GOTOOLCHAIN"].value, "auto");
  EXPECT_EQ(env["GOPATH"].value, "/home/alice/go");
  EXPECT_EQ(env["GOMODCACHE"].value, "/home/alice/go/pkg/mod");
  EXPECT_EQ(env["GOCACHE"].value, "/var/cache/alice/go-build");
  EXPECT_TRUE(problems.empty());
  inputs.process = {{"GOENV", "off"}};
  auto no_file = effectiveGoEnv(inputs, problems);
  EXPECT_EQ(no_file["GOPROXY"].source, "goroot:/usr/local/go/go.env");
}

TEST(GoEnv, ParsesGoproxyAndGosumdbLikeGo) {
  auto list = parseGoproxy("goproxy.corp.example|https://proxy.golang.org , direct,https://never.example");
  ASSERT_EQ(list.proxies.size(), 2u);
  EXPECT_EQ(list.proxies[0].url, "https://goproxy.corp.example");
  EXPECT_TRUE(list.proxies[0].any_error_falls_through);
  EXPECT_FALSE(list.proxies[1].any_error_falls_through);
  EXPECT_TRUE(list.direct);
  auto off = parseGoproxy("off");
  EXPECT_TRUE(off.off);
  EXPECT_TRUE(off.proxies.empty());
  auto empty = parseGoproxy("");
  EXPECT_EQ(empty.proxies.size(), 1u);
  EXPECT_TRUE(empty.direct);
  EXPECT_TRUE(parseGosumdb("off").off);
  auto keyed = parseGosumdb("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
  EXPECT_EQ(keyed.name, "sum.golang.org");
  EXPECT_EQ(keyed.url, "https://sum.golang.org");
  auto custom = parseGosumdb("sum.corp.example+key https://sumdb.corp.example:8443/x");
  EXPECT_EQ(custom.url, "https://sumdb.corp.example:8443/x");
  EXPECT_EQ(urlEndpoint("https://sumdb.corp.example:8443/x"), std::make_pair(std::string("sumdb.corp.example"), 8443u));
  EXPECT_EQ(urlEndpoint("http://[::1]/"), std::make_pair(std::string("::1"), 80u));
  EXPECT_FALSE(urlEndpoint("file:///srv/goproxy"));
}

TEST(GoInstall, ReadsTheRealGoOfThisMachine) {
  auto go = findGoOnPath("/", "/nonexistent:/usr/bin");
  ASSERT_TRUE(go) << "golang-go must be installed";
  EXPECT_EQ(go->path, "/usr/bin/go");
  EXPECT_EQ(go->resolved.rfind("/usr/lib/go-", 0), 0u) << go->resolved;
  EXPECT_EQ(go->version.rfind("go1.", 0), 0u);
  EXPECT_EQ(go->version_source, "GOROOT/VERSION");
  auto from_binary = readBuildInfoVersion(go->resolved);
  ASSERT_TRUE(from_binary) << "the build information of " << go->resolved;
  EXPECT_EQ(*from_binary, go->version);
  EXPECT_FALSE(readBuildInfoVersion("/bin/true"));
  EXPECT_TRUE(goVersionAtLeast("go1.19.8", "1.19"));
  EXPECT_TRUE(goVersionAtLeast("go1.21rc2", "1.21"));
  EXPECT_FALSE(goVersionAtLeast("go1.19.8", "1.21"));
  EXPECT_FALSE(goVersionAtLeast("go1.9", "1.19"));
}

TEST(GoInstall, PathOrderDecidesWhichGoRuns) {
  test::TempRoot root;
  makeExecutable(root, "/usr/local/go/bin/go");
  root.write("/usr/local/go/VERSION", "go1.21.5\ntime 2023-12-01\n");
  makeExecutable(root, "/usr/lib/go-1.19/bin/go");
  root.write("/usr/lib/go-1.19/VERSION", "go1.19.8\n");
  root.symlink("../lib/go-1.19/bin/go", "/usr/bin/go");
  root.write("/usr/local/bin/go", "not executable");
  auto go = findGoOnPath(root.path(), "/usr/local/bin:/usr/bin:/usr/local/go/bin");
  ASSERT_TRUE(go);
  EXPECT_EQ(go->path, "/usr/bin/go");
  EXPECT_EQ(go->resolved, "/usr/lib/go-1.19/bin/go");
  EXPECT_EQ(go->goroot, "/usr/lib/go-1.19");
  EXPECT_EQ(go->version, "go1.19.8");
  auto all = findGoInstalls(root.path(), {"/home/alice"});
  ASSERT_EQ(all.size(), 2u) << "/usr/bin/go and /usr/lib/go-1.19/bin/go are one install";
}

TEST(Subjects, DiscoversUnitsCronJobsAndUsersWithGoCaches) {
  test::TempRoot root;
  root.write("/etc/passwd",
             "root:x:0:0:root:/root:/bin/bash\nbuilder:x:1001:1001::/home/builder:/bin/bash\n"
             "alice:x:1002:1002::/home/alice:/bin/bash\nsvc:x:998:998::/var/lib/svc:/usr/sbin/nologin\n"
             "broken line\n");
  root.write("/etc/group", "root:x:0:\nbuilder:x:1001:\nalice:x:1002:\ngodev:x:2000:builder,alice\n");
  root.mkdir("/home/alice/go/pkg/mod");
  root.mkdir("/home/builder");
  root.write("/etc/systemd/system/ci.service", "[Service]\nExecStart=/usr/bin/gitlab-runner run\nUser=builder\n");
  root.write("/etc/systemd/system/web.service", "[Service]\nExecStart=/usr/sbin/nginx\n");
  root.write("/etc/cron.d/nightly", "0 1 * * * builder go mod download\n");
  makeExecutable(root, "/usr/lib/go-1.19/bin/go");
  root.write("/usr/lib/go-1.19/VERSION", "go1.19.8\n");
  root.symlink("../lib/go-1.19/bin/go", "/usr/bin/go");
  auto accounts = Accounts::read(root.path());
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->skippedLines(), 1u);
  EXPECT_EQ(accounts->byName("alice")->groups, (std::vector<std::string>{"alice", "godev"}));
  auto rules = ruleset::loadRuleSources({ruleset::embeddedDefaultRules()}, {2026, 11, 21});
  ASSERT_TRUE(rules.ok());
  auto subjects = collectSubjects(root.path(), rules.rules, *accounts);
  ASSERT_TRUE(subjects) << subjects.error().message;
  std::vector<std::string> ids;
  for (const auto& s : *subjects) ids.push_back(s.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"systemd:ci.service", "cron:/etc/cron.d/nightly:1", "user:root", "user:alice"}));
  const auto& ci = (*subjects)[0];
  EXPECT_EQ(ci.tooling, "gitlab-runner");
  EXPECT_EQ(ci.user, "builder");
  EXPECT_EQ(ci.home, "/home/builder");
  EXPECT_EQ(ci.program, "/usr/bin/gitlab-runner");
  ASSERT_TRUE(ci.go);
  EXPECT_EQ(ci.go->version, "go1.19.8");
  EXPECT_EQ(ci.goenv.at("GOMODCACHE").value, "/home/builder/go/pkg/mod");
  const auto& cron = (*subjects)[1];
  EXPECT_EQ(cron.launcher, Launcher::kCronSystem);
  EXPECT_EQ(cron.path, kCronPath);
}

}  // namespace
}  // namespace modgate::gotool
