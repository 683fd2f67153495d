#include "process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace gradgen::runtime {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---------------------------------------------------------------------------
// Cleaning up when a signal ends the process.
//
// While any TempDir exists, SIGINT, SIGTERM, SIGHUP and SIGQUIT (those the
// process does not ignore) are caught. When the signal's effect is the
// default one -- the process ends -- the handler first kills the process
// group of every program run_process is waiting for and removes every live
// TempDir with what is in it, then lets the signal end the process. When the
// program had installed a handler of its own, that handler is called instead
// and nothing is removed: the process may well go on, and its compiles with
// it (a handler that ends the process can call remove_temporaries_now()
// first). The handler only reads the fixed tables below and makes
// async-signal-safe system calls (kill, openat, getdents64, unlinkat, close,
// sigaction, raise).
// ---------------------------------------------------------------------------

constexpr int kSlots = 64;               // live TempDirs and children covered
constexpr int kCaught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

struct DirSlot {
  std::atomic<int> state{0};  // 0 free, 1 being filled or emptied, 2 live
  char path[PATH_MAX] = {};
};
DirSlot g_dirs[kSlots];
std::atomic<pid_t> g_children[kSlots];  // process groups to kill, 0 = free

std::mutex g_mutex;                     // guards the fields below (not the handler)
int g_live_dirs = 0;
struct sigaction g_previous[NSIG];      // dispositions before ours
bool g_installed[NSIG] = {};
volatile sig_atomic_t g_in_handler[NSIG] = {};  // a handler chained back to ours

// Removes `name` (relative to the directory open as `parent`) and, if it is
// a directory, everything in it, to a bounded depth.
void remove_tree(int parent, const char* name, int depth) {
  const int fd = depth < 8 ? openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
  if (fd < 0) {
    unlinkat(parent, name, 0);  // not a directory (or too deep to follow)
    return;
  }
  alignas(struct dirent64) char buffer[4096];
  // Entries removed while reading can make getdents64 skip others, so read
  // again from the start until a pass removes nothing more.
  for (int pass = 0; pass < 16; ++pass) {
    bool removed = false;
    lseek(fd, 0, SEEK_SET);
    for (;;) {
      const ssize_t n = getdents64(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      for (ssize_t offset = 0; offset < n;) {
        const auto* entry = reinterpret_cast<const struct dirent64*>(buffer + offset);
        offset += entry->d_reclen;
        const char* e = entry->d_name;
        if (e[0] == '.' && (e[1] == '\0' || (e[1] == '.' && e[2] == '\0'))) continue;
        // A directory, or a file system that does not tell (DT_UNKNOWN):
        // remove_tree opens it as a directory or else unlinks it.
        if (entry->d_type == DT_DIR || entry->d_type == DT_UNKNOWN) {
          remove_tree(fd, e, depth + 1);
          removed = true;
        } else if (unlinkat(fd, e, 0) == 0) {
          removed = true;
        }
      }
    }
    if (!removed) break;
  }
  close(fd);
  unlinkat(parent, name, AT_REMOVEDIR);
}

void on_signal(int signal_number, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  const struct sigaction& previous = g_previous[signal_number];
  const bool handled_before = previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN;
  if (handled_before && g_in_handler[signal_number] == 0) {
    // The program's own handler decides; the process may go on.
    g_in_handler[signal_number] = 1;
    if (previous.sa_flags & SA_SIGINFO) {
      previous.sa_sigaction(signal_number, info, context);
    } else {
      previous.sa_handler(signal_number);
    }
    g_in_handler[signal_number] = 0;
    errno = saved_errno;
    return;
  }
  // The default effect (or a handler that chained back to this one): the
  // process ends, so clean up, restore the default and raise the signal
  // again; it is delivered when this handler returns.
  remove_temporaries_now();
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal_number, &default_action, nullptr);
  raise(signal_number);
  errno = saved_errno;
}

void install_handlers() {  // with g_mutex held
  for (int s : kCaught) {
    struct sigaction current {};
    sigaction(s, nullptr, &current);
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN) continue;  // e.g. nohup
    struct sigaction ours {};
    ours.sa_sigaction = on_signal;
    ours.sa_flags = SA_SIGINFO | SA_RESTART;  // the rest of the program sees no EINTR
    sigemptyset(&ours.sa_mask);
    for (int other : kCaught) sigaddset(&ours.sa_mask, other);
    g_previous[s] = current;
    g_installed[s] = sigaction(s, &ours, nullptr) == 0;
  }
}

void restore_handlers() {  // with g_mutex held
  for (int s : kCaught) {
    if (!g_installed[s]) continue;
    g_installed[s] = false;
    struct sigaction current {};
    sigaction(s, nullptr, &current);
    // Someone installed a handler of their own meanwhile: leave it.
    if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_signal) {
      sigaction(s, &g_previous[s], nullptr);
    }
  }
}

// Registers a TempDir's path for the handler; returns its slot, or -1 when
// all are taken (then that directory is removed by its destructor only).
int register_dir(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_live_dirs++ == 0) install_handlers();
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_dirs[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_dirs[i].path, path.c_str(), path.size() + 1);
      g_dirs[i].state.store(2);
      return i;
    }
  }
  return -1;
}

void unregister_dir(int slot) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (slot >= 0) g_dirs[slot].state.store(0);
  if (--g_live_dirs == 0) restore_handlers();
}

int register_child(pid_t group) {
  for (int i = 0; i < kSlots; ++i) {
    pid_t expected = 0;
    if (g_children[i].compare_exchange_strong(expected, group)) return i;
  }
  return -1;
}

// The signals the handler catches, for blocking them around a spawn.
sigset_t caught_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kCaught) sigaddset(&set, s);
  return set;
}

// This process's environment with TMPDIR set to `dir`: what the child (the
// compiler) leaves in its temporary directory is removed with ours, even
// when it is killed.
std::vector<std::string> environment_with_tmpdir(const std::string& dir) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "TMPDIR=", 7) != 0) env.emplace_back(*e);
  }
  env.push_back("TMPDIR=" + dir);
  return env;
}

}  // namespace

void remove_temporaries_now() noexcept {
  const int saved_errno = errno;
  for (std::atomic<pid_t>& child : g_children) {
    const pid_t group = child.load();
    if (group > 0) kill(-group, SIGKILL);
  }
  for (DirSlot& slot : g_dirs) {
    if (slot.state.load() == 2) remove_tree(AT_FDCWD, slot.path, 0);
  }
  errno = saved_errno;
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/gradgen.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(std::string("cannot create a temporary directory: ") + std::strerror(errno));
  }
  path_ = pattern;
  slot_ = register_dir(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  unregister_dir(slot_);
}

std::string system_compiler() {
  const char* cxx = std::getenv("CXX");
  return cxx && *cxx ? cxx : "c++";
}

std::vector<std::string> command_words(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 < command.size() && command[i + 1] != '\n') word += command[i + 1];
      ++i;
    } else if (c == '\'') {
      const std::size_t end = command.find('\'', i + 1);
      if (end == std::string::npos) throw std::invalid_argument("a ' that is not closed in: " + command);
      word += command.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= command.size()) throw std::invalid_argument("a \" that is not closed in: " + command);
        if (command[i] == '"') break;
        if (command[i] == '\\' && i + 1 < command.size() &&
            std::string_view("\"\\$`").find(command[i + 1]) != std::string_view::npos) {
          ++i;
        }
        word += command[i];
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

ProcessResult run_process(const std::vector<std::string>& argv, double timeout_seconds) {
  ProcessResult result;
  if (argv.empty()) {
    result.error = "no program to run";
    return result;
  }
  TempDir capture;
  const std::string out_path = capture.path() + "/out";
  const std::string err_path = capture.path() + "/err";
  const std::string tmp_path = capture.path() + "/tmp";
  if (mkdir(tmp_path.c_str(), 0700) != 0) {
    result.error = "cannot create " + tmp_path + ": " + std::strerror(errno);
    return result;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_text = environment_with_tmpdir(tmp_path);
  std::vector<char*> env;
  for (std::string& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);

  // The child leads a process group of its own, so a time-out or a signal
  // ends the compiler's subprocesses (cc1plus, as, ld) too. It starts with
  // no signal blocked, whatever this thread blocks.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);

  // A signal between the spawn and the child's registration would miss the
  // child: hold the caught signals until it is registered.
  const sigset_t caught = caught_set();
  sigset_t before;
  pthread_sigmask(SIG_BLOCK, &caught, &before);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), env.data());
  const int child_slot = rc == 0 ? register_child(pid) : -1;
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    result.error = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration<double>(timeout_seconds > 0 ? timeout_seconds : 0);
  for (;;) {
    const pid_t done = waitpid(pid, &status, timeout_seconds > 0 ? WNOHANG : 0);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      result.error = std::string("waitpid: ") + std::strerror(errno);
      break;
    }
    if (done == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        result.timed_out = true;
        std::ostringstream limit;
        limit << timeout_seconds;  // 0.5, 300: no trailing zeros
        result.error = argv[0] + " did not finish within " + limit.str() + " s";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (child_slot >= 0) g_children[child_slot].store(0);
  if (!result.error.empty() && !result.timed_out) return result;
  result.started = true;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_all(out_path);
  result.err = read_all(err_path);
  return result;
}

}  // namespace gradgen::runtime
