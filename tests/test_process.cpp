// Running the C++ compiler (runtime/process.hpp): the time limit, and what a
// signal does to a compile in progress. Each case runs gradgen_runtime_probe
// (tests/support/runtime_probe.cpp), which compiles a header with the runtime,
// with a stand-in compiler that never finishes: a shell script that leaves a
// file in its TMPDIR, starts a grandchild (as g++ starts cc1plus) and waits.
// After the probe ends -- by its time limit, or by a signal sent from here --
// the compiler and its grandchild must be gone and the probe's temporary
// directory empty. A signal whose effect is the default one ends the probe
// after the clean-up; a handler the probe installed itself is left to
// decide.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "runtime/process.hpp"

namespace fs = std::filesystem;

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// The stand-in compiler: leaves a file in its $TMPDIR, starts a grandchild,
// records both pids and the file's path in $MARK, and waits for ever.
const char* const kHangingCompiler =
    "#!/bin/sh\n"
    ": > \"$TMPDIR/cc-temporary.s\"\n"
    "sleep 600 &\n"
    "echo \"$$ $! $TMPDIR/cc-temporary.s\" > \"$MARK.partial\"\n"
    "mv \"$MARK.partial\" \"$MARK\"\n"
    "wait\n";

// A probe run: its scratch directory (the probe's TMPDIR is `tmp` in it).
struct ProbeRun {
  gradgen::runtime::TempDir scratch;
  std::string tmp = scratch.path() + "/tmp";
  std::string mark = scratch.path() + "/mark";
  std::string err = scratch.path() + "/probe.err";  // the probe's standard error
  pid_t probe = -1;

  // The stand-in compiler lives in a directory whose name a shell would
  // split and expand: it runs only because the runtime passes an argument
  // vector, never a command line.
  explicit ProbeRun(const std::vector<std::string>& extra_args) {
    fs::create_directory(tmp);
    const std::string odd_dir = scratch.path() + "/a dir; $(touch pwned) 'q' \"`x`\"";
    fs::create_directory(odd_dir);
    const std::string compiler = odd_dir + "/hanging-c++";
    std::ofstream(compiler) << kHangingCompiler;
    fs::permissions(compiler, fs::perms::owner_all);

    std::vector<std::string> args{GRADGEN_RUNTIME_PROBE, compiler};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::strncmp(*e, "TMPDIR=", 7) != 0 && std::strncmp(*e, "MARK=", 5) != 0) env_text.emplace_back(*e);
    }
    env_text.push_back("TMPDIR=" + tmp);
    env_text.push_back("MARK=" + mark);
    std::vector<char*> argv, envp;
    for (std::string& a : args) argv.push_back(a.data());
    for (std::string& e : env_text) envp.push_back(e.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    // The probe starts with the signals at their defaults and none blocked,
    // even when the tests run under nohup or in the background (which
    // ignore SIGHUP, SIGINT and SIGQUIT).
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    sigemptyset(&none);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    const int rc = posix_spawn(&probe, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    REQUIRE(rc == 0);
  }

  // After a failed check: nothing of the run outlives the test.
  ~ProbeRun() {
    if (probe > 0) {
      kill(probe, SIGKILL);
      waitpid(probe, nullptr, 0);
    }
    std::ifstream in(mark);
    pid_t compiler = 0;
    if (in >> compiler && compiler > 0) kill(-compiler, SIGKILL);
  }

  std::string compiler_temporary;  // the file the stand-in compiler left

  // The stand-in compiler's pid and its grandchild's, once it has started.
  std::vector<pid_t> compiler_pids() {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (!fs::exists(mark)) {
      REQUIRE(Clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(mark);
    pid_t compiler = 0, grandchild = 0;
    in >> compiler >> grandchild >> compiler_temporary;
    REQUIRE(compiler > 0);
    REQUIRE(grandchild > 0);
    return {compiler, grandchild};
  }

  int wait_status() {
    int status = 0;
    REQUIRE(waitpid(probe, &status, 0) == probe);
    probe = -1;
    return status;
  }
};

// True when `pid` is gone (or a zombie waiting for init) within 10 s.
bool ends(pid_t pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, name, state;
    if (!(stat >> pid_field >> name >> state) || state == "Z") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void check_cleaned_up(ProbeRun& run, const std::vector<pid_t>& pids) {
  for (pid_t pid : pids) {
    INFO("process " << pid);
    CHECK(ends(pid));
  }
  // What the compiler put in its TMPDIR is gone, and nothing is left in the
  // probe's TMPDIR.
  CHECK_FALSE(run.compiler_temporary.empty());
  CHECK_FALSE(fs::exists(run.compiler_temporary));
  std::vector<std::string> left;
  for (const auto& entry : fs::recursive_directory_iterator(run.tmp)) left.push_back(entry.path().string());
  INFO("left behind: " << left.size());
  for (const std::string& path : left) UNSCOPED_INFO(path);
  CHECK(left.empty());
}

}  // namespace

TEST_CASE("process: a compile past its time limit is killed with its subprocesses, leaving nothing",
          "[runtime][process]") {
  ProbeRun run({"3"});
  const std::vector<pid_t> pids = run.compiler_pids();
  const int status = run.wait_status();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);  // a CompileError: the time limit
  std::ifstream message(run.err);
  const std::string text{std::istreambuf_iterator<char>(message), std::istreambuf_iterator<char>()};
  CHECK(text.find("$(touch pwned) 'q' \"`x`\"/hanging-c++ did not finish within 3 s") != std::string::npos);
  CHECK_FALSE(fs::exists("pwned"));
  check_cleaned_up(run, pids);
}

TEST_CASE("process: a signal during a compile kills the compiler, removes the temporaries, then ends the process",
          "[runtime][process]") {
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    INFO("signal " << strsignal(signal_number));
    ProbeRun run({});
    const std::vector<pid_t> pids = run.compiler_pids();
    REQUIRE(kill(run.probe, signal_number) == 0);
    const int status = run.wait_status();
    // The signal had its usual effect: the probe ended by it.
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == signal_number);
    check_cleaned_up(run, pids);
  }
}

TEST_CASE("process: a handler the program installed before runs instead, and can clean up with remove_temporaries_now",
          "[runtime][process]") {
  ProbeRun run({"--own-handler"});
  const std::vector<pid_t> pids = run.compiler_pids();
  REQUIRE(kill(run.probe, SIGTERM) == 0);
  const int status = run.wait_status();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 7);  // the probe's own SIGTERM handler
  check_cleaned_up(run, pids);
}

TEST_CASE("process: when the program's own handler returns, the compile goes on", "[runtime][process]") {
  ProbeRun run({"3", "--returning-handler"});
  const std::vector<pid_t> pids = run.compiler_pids();
  REQUIRE(kill(run.probe, SIGTERM) == 0);
  const int status = run.wait_status();
  // Not killed by the signal: the compile ran on to its time limit.
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  std::ifstream message(run.err);
  const std::string text{std::istreambuf_iterator<char>(message), std::istreambuf_iterator<char>()};
  CHECK(text.find("did not finish within 3 s") != std::string::npos);
  check_cleaned_up(run, pids);
}
