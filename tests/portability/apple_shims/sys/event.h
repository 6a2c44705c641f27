// Shim of <sys/event.h> (kqueue) for the macOS compile check (see ../README.md): only what
// x402-dev uses, with Apple's types and values.
#pragma once

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define EVFILT_PROC (-5)     /* attached to struct proc */

#define EV_ADD 0x0001        /* add event to kq (implies enable) */
#define EV_ONESHOT 0x0010    /* only report one occurrence */

#define NOTE_EXIT 0x80000000U  /* process exited */

struct kevent {
  uintptr_t ident;  /* identifier for this event */
  int16_t filter;   /* filter for event */
  uint16_t flags;   /* general flags */
  uint32_t fflags;  /* filter-specific flags */
  intptr_t data;    /* filter-specific data */
  void* udata;      /* opaque user data identifier */
};

#define EV_SET(kevp, a, b, c, d, e, f) \
  do {                                 \
    struct kevent* kevp_ = (kevp);     \
    kevp_->ident = (a);                \
    kevp_->filter = (b);               \
    kevp_->flags = (c);                \
    kevp_->fflags = (d);               \
    kevp_->data = (e);                 \
    kevp_->udata = (f);                \
  } while (0)

#ifdef __cplusplus
extern "C" {
#endif

int kqueue(void);
int kevent(int kq, const struct kevent* changelist, int nchanges, struct kevent* eventlist,
           int nevents, const struct timespec* timeout);

#ifdef __cplusplus
}
#endif
