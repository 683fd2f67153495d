#include "cli/output_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace gradgen {
namespace {

std::string failure(const std::string& path, int error) {
  return fmt::format("cannot write {}: {}", path, std::strerror(error));
}

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// A device, a pipe or a socket (/dev/null, /dev/stdout) is written to as it
// is: it cannot be replaced, and there is nothing to keep whole.
std::string write_in_place(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return failure(path, errno);
  const bool ok = write_all(fd, text);
  const int error = errno;
  if (close(fd) != 0 || !ok) return failure(path, ok ? errno : error);
  return "";
}

}  // namespace

namespace {

// Holds SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGXFSZ while it exists: one
// that arrives meanwhile is delivered when the file has been renamed into
// place (or the temporary removed), so an interrupted gradgen leaves no
// temporary behind. (With SIGXFSZ held, a file-size limit makes write(2)
// fail with EFBIG, which removes the temporary, before the signal lands.)
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t held;
    sigemptyset(&held);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXFSZ}) sigaddset(&held, s);
    pthread_sigmask(SIG_BLOCK, &held, &before_);
  }
  ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t before_;
};

}  // namespace

std::string write_file_atomically(const std::string& requested, const std::string& text) {
  std::string path = requested;
  mode_t mode = 0;
  bool exists = false;
  struct stat info {};
  if (lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
    // Write through a symbolic link: replace its target, keep the link.
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) != nullptr) path = resolved;
  }
  if (stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return fmt::format("cannot write {}: it is a directory", requested);
    if (!S_ISREG(info.st_mode)) return write_in_place(path, text);
    exists = true;
    mode = info.st_mode & 07777;
  }

  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) return fmt::format("cannot write {}: it names a directory", requested);

  const SignalsHeld held;  // from here until the temporary is renamed or removed
  std::string temp = fmt::format("{}/.{}.XXXXXX", dir, base);
  const int fd = mkstemp(temp.data());
  if (fd < 0) return failure(requested, errno);
  const auto fail = [&](int error) {
    close(fd);
    unlink(temp.c_str());
    return failure(requested, error);
  };

  // An existing file keeps its permissions; a new one gets what a plain new
  // file would (mkstemp makes it 0600).
  if (!exists) {
    const mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0) return fail(errno);
  if (!write_all(fd, text)) return fail(errno);
  if (fsync(fd) != 0 && errno != EINVAL) return fail(errno);
  if (close(fd) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    return failure(requested, error);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    return failure(requested, error);
  }
  return "";
}

}  // namespace gradgen
