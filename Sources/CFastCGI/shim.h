#ifndef CFASTCGI_SHIM_H
#define CFASTCGI_SHIM_H
#include <fcgiapp.h>
#include <signal.h>
#include <pthread.h>

/* A do-nothing handler installed without SA_RESTART: delivering it to a thread blocked in accept()
   makes accept fail with EINTR, which (with FCGI_FAIL_ACCEPT_ON_INTR) returns from FCGX_Accept_r.
   Swift cannot form a C signal handler with sa_flags portably, so the shim does it. */
static void CFastCGI_wakeHandler(int sig) { (void)sig; }

static inline int CFastCGI_installWakeSignal(int sig) {
    struct sigaction sa;
    sa.sa_handler = CFastCGI_wakeHandler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    return sigaction(sig, &sa, NULL);
}
#endif
