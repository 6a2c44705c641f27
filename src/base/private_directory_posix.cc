#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/private_directory.h"

namespace x402 {
namespace {

constexpr mode_t kPrivate = 0700;

Status LinkRefused(const std::string& path) {
  return Status::Io(path + " is a symbolic link; refusing to write through it")
      .WithHint("remove the link (`rm " + path + "`); x402-dev creates its own directory");
}

// What is wrong with the directory |st| describes, or Ok.
Status Judge(const std::string& dir, const struct stat& st) {
  if (S_ISLNK(st.st_mode)) return LinkRefused(dir);
  if (!S_ISDIR(st.st_mode)) {
    return Status::Io(dir + " exists and is not a directory").WithHint("move it out of the way");
  }
  if (st.st_uid != ::geteuid()) {
    return Status::Io(dir + " belongs to another user (uid " + std::to_string(st.st_uid) +
                      "); refusing to use it")
        .WithHint("run x402-dev as that user, or give it a HOME of your own");
  }
  return Status::Ok();
}

Status Inspect(const std::string& dir, bool* missing) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      *missing = true;
      return Status::Ok();
    }
    if (errno == EACCES) {
      return Status::Io("permission denied looking at " + dir)
          .WithHint("run x402-dev as the user who owns it");
    }
    return FromErrno("cannot look at " + dir, errno);
  }
  *missing = false;
  return Judge(dir, st);
}

}  // namespace

Status CheckOwnDirectory(const std::string& dir) {
  bool missing = false;
  return Inspect(dir, &missing);
}

Status EnsurePrivateDirectory(const std::string& dir) {
  // mkdir never follows a link at |dir|: an existing link gives EEXIST and is judged below.
  if (::mkdir(dir.c_str(), kPrivate) != 0 && errno != EEXIST) {
    if (errno == EACCES) {
      return Status::Io("permission denied creating " + dir)
          .WithHint("check the permissions of its parent folder");
    }
    return FromErrno("cannot create " + dir, errno);
  }
  // Judge the directory through a descriptor opened without following links, and chmod that
  // descriptor: nothing swapped in at the path after the look can be chmod-ed instead.
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    bool missing = false;
    Status s = Inspect(dir, &missing);
    if (!s.ok()) return s;
    if (err == ELOOP) return LinkRefused(dir);
    if (err != EACCES) return FromErrno("cannot open " + dir, err);
    // A directory of ours that we may not read (e.g. 0300): the look above vouched for it.
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0 && (st.st_mode & 077) != 0 &&
        ::chmod(dir.c_str(), st.st_mode & 0700) != 0) {
      return FromErrno("cannot make " + dir + " private", errno);
    }
    return Status::Ok();
  }
  struct stat st {};
  Status s = ::fstat(fd, &st) == 0 ? Judge(dir, st) : FromErrno("cannot look at " + dir, errno);
  // Private: nothing for group or others. The owner's own bits stay as the owner set them (a
  // folder made read-only on purpose stays read-only).
  if (s.ok() && (st.st_mode & 077) != 0 && ::fchmod(fd, st.st_mode & 0700) != 0) {
    s = FromErrno("cannot make " + dir + " private", errno);
  }
  ::close(fd);
  return s;
}

Status CheckPlainFileOrMissing(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return FromErrno("cannot look at " + path, errno);
  }
  if (S_ISLNK(st.st_mode)) return LinkRefused(path);
  if (!S_ISREG(st.st_mode)) return Status::Io(path + " is not a regular file");
  return Status::Ok();
}

}  // namespace x402
