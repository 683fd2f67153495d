// Writing an output file atomically: the text goes to a temporary file in the
// same directory, which then replaces the target by rename(2). A reader (or a
// build) sees the old file or the new one, never half of one, and on any
// error the old file is untouched and no temporary is left behind. An
// existing file keeps its permissions; a symbolic link is written through
// (its target is replaced); a device or pipe (/dev/null, /dev/stdout) is
// simply written to. SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGXFSZ are held
// while the temporary exists, so an interrupted write leaves no temporary
// either.
#pragma once

#include <string>

namespace gradgen {

// Returns "" on success, else a message naming the file and the reason.
std::string write_file_atomically(const std::string& path, const std::string& text);

}  // namespace gradgen
