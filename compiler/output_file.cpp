#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace gradgen {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) return fmt::format("cannot write {}: it names a directory", path);

  std::string temp = fmt::format("{}/.{}.XXXXXX", dir, base);
  const int fd = mkstemp(temp.data());
  if (fd < 0) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
  const auto fail = [&](int error) {
    close(fd);
    unlink(temp.c_str());
    return fmt::format("cannot write {}: {}", path, std::strerror(error));
  };

  // The permissions a plain new file would get (mkstemp makes it 0600).
  const mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) return fail(errno);

  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0 && errno != EINVAL) return fail(errno);
  if (close(fd) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    return fmt::format("cannot write {}: {}", path, std::strerror(error));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    return fmt::format("cannot write {}: {}", path, std::strerror(error));
  }
  return "";
}

}  // namespace gradgen
