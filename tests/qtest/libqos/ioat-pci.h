/*
 * Helpers shared by the ioat-nic and ioat-dma qtests: PCI probing, MSI-X
 * vectors, polling until a deadline and waiting for a migration
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_PCI_H
#define QOS_IOAT_PCI_H

#include "pci.h"
#include "../libqtest.h"

typedef struct IoatPciBarInfo {
    bool is_io;
    bool is_64bit;
    bool prefetchable;
    uint64_t size;
} IoatPciBarInfo;

IoatPciBarInfo ioat_pci_probe_bar(QPCIDevice *dev, int bar);
int ioat_pci_cap_list(QPCIDevice *dev, uint8_t *ids, uint8_t *offsets,
                      int max);

/*
 * MSI-X with every table entry masked (as QEMU resets them): a message
 * shows up as the vector's PBA bit, qpci_msix_pending().
 */
void ioat_pci_msix_clear(QPCIDevice *dev, unsigned vector);
void ioat_pci_msix_wait(QPCIDevice *dev, unsigned vector);

/*
 * A poll loop with a deadline in host time:
 *
 *     IoatPoll p = { .qts = qts, .clock_step_ns = IOAT_POLL_CLOCK_STEP_NS };
 *
 *     while (ioat_poll(&p)) {
 *         if (done) {
 *             return;
 *         }
 *     }
 *     g_error("... never happened");
 *
 * The first ioat_poll() starts the deadline; each later one lets time
 * pass first: the virtual clock steps by @clock_step_ns (device timers
 * run), the host sleeps @sleep_us (work done in QEMU's own threads, a
 * migration), or, with both 0, the next round polls at once.
 */
typedef struct IoatPoll {
    QTestState *qts;
    int64_t clock_step_ns;
    gulong sleep_us;
    gint64 timeout_us;      /* 0: IOAT_POLL_TIMEOUT_US */
    gint64 end;             /* set by the first round */
} IoatPoll;

#define IOAT_POLL_TIMEOUT_US        (5 * G_USEC_PER_SEC)
#define IOAT_POLL_CLOCK_STEP_NS     10000

bool ioat_poll(IoatPoll *p);

void ioat_qtest_wait_migration(QTestState *qts);
void ioat_qtest_quit_machine(QTestState *qts);

void ioat_qom_set_uint(QTestState *qts, const char *path, const char *prop,
                       uint64_t value);
void ioat_qom_set_bool(QTestState *qts, const char *path, const char *prop,
                       bool value);
void ioat_qom_set_str(QTestState *qts, const char *path, const char *prop,
                      const char *value);
uint64_t ioat_qom_get_uint(QTestState *qts, const char *path,
                           const char *prop);

/*
 * The -d guest_errors,unimp log of one test's machine.  The devices start
 * each line with the name of its trace event, so tests count events.
 */
char *ioat_log_attach(GString *cmd_line, const char *dev);
unsigned ioat_log_count(const char *path, const char *prefix);
unsigned ioat_log_events(const char *path, const char *event);
long ioat_log_event_thread(const char *path, const char *event);
void ioat_log_remove(char *path);

#endif
