// Force-included (-include) by the macOS compile check before anything else. Debian's libstdc++
// was configured on Linux with _GNU_SOURCE, and its headers call what glibc declares only then:
// syscall(SYS_futex) in <atomic>'s waits, pthread_cond_clockwait, pthread_mutex_clocklock and
// pthread_rwlock_clock*lock. Under the check's strict POSIX macros those are undeclared, so every
// file including <mutex> or <atomic> would fail for a reason that is not ours. Turning off the
// configuration switches makes libstdc++ take the paths it takes where they do not exist, which
// is the situation on macOS (libc++ has none of them either). Our own code still sees only the
// strict declarations: the canaries in macos_compile_check.sh prove syscall and friends fail.
#pragma once

#include <bits/c++config.h>

#undef _GLIBCXX_HAVE_LINUX_FUTEX
#undef _GLIBCXX_USE_PTHREAD_COND_CLOCKWAIT
#undef _GLIBCXX_USE_PTHREAD_MUTEX_CLOCKLOCK
#undef _GLIBCXX_USE_PTHREAD_RWLOCK_CLOCKLOCK
