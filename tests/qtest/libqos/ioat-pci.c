/*
 * Helpers shared by the ioat-nic and ioat-dma qtests: PCI probing, MSI-X
 * vectors, polling until a deadline, waiting for a migration and reading
 * the device's log
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/pci/pci_regs.h"
#include "qobject/qdict.h"
#include "ioat-pci.h"

/*
 * Size a memory BAR the way firmware does: write all ones, read the mask
 * back, then restore the original value.
 */
IoatPciBarInfo ioat_pci_probe_bar(QPCIDevice *dev, int bar)
{
    uint8_t off = PCI_BASE_ADDRESS_0 + bar * 4;
    uint32_t lo = qpci_config_readl(dev, off);
    uint32_t hi = 0, mask_hi = 0xffffffff, mask_lo;
    IoatPciBarInfo info = { };

    info.is_io = lo & PCI_BASE_ADDRESS_SPACE_IO;
    info.is_64bit = (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
                    PCI_BASE_ADDRESS_MEM_TYPE_64;
    info.prefetchable = lo & PCI_BASE_ADDRESS_MEM_PREFETCH;

    qpci_config_writel(dev, off, 0xffffffff);
    mask_lo = qpci_config_readl(dev, off) & PCI_BASE_ADDRESS_MEM_MASK;
    qpci_config_writel(dev, off, lo);
    if (info.is_64bit) {
        hi = qpci_config_readl(dev, off + 4);
        qpci_config_writel(dev, off + 4, 0xffffffff);
        mask_hi = qpci_config_readl(dev, off + 4);
        qpci_config_writel(dev, off + 4, hi);
    }
    info.size = ~(((uint64_t)mask_hi << 32) | mask_lo) + 1;
    return info;
}

/* The IDs and offsets of the standard capabilities, in list order. */
int ioat_pci_cap_list(QPCIDevice *dev, uint8_t *ids, uint8_t *offsets,
                      int max)
{
    uint8_t off = qpci_config_readb(dev, PCI_CAPABILITY_LIST) & ~3;
    int n = 0;

    while (off && n < max) {
        ids[n] = qpci_config_readb(dev, off + PCI_CAP_LIST_ID);
        offsets[n] = off;
        n++;
        off = qpci_config_readb(dev, off + PCI_CAP_LIST_NEXT) & ~3;
    }
    return n;
}

/* Unmask and mask again: the pending message is sent, its bit clears. */
void ioat_pci_msix_clear(QPCIDevice *dev, unsigned vector)
{
    uint64_t ctrl = dev->msix_table_off + vector * PCI_MSIX_ENTRY_SIZE +
                    PCI_MSIX_ENTRY_VECTOR_CTRL;

    qpci_io_writel(dev, dev->msix_table_bar, ctrl, 0);
    qpci_io_writel(dev, dev->msix_table_bar, ctrl,
                   PCI_MSIX_ENTRY_CTRL_MASKBIT);
    g_assert_false(qpci_msix_pending(dev, vector));
}

/* As e1000e_wait_isr: poll the PBA, stepping the virtual clock. */
void ioat_pci_msix_wait(QPCIDevice *dev, unsigned vector)
{
    IoatPoll p = {
        .qts = dev->bus->qts,
        .clock_step_ns = IOAT_POLL_CLOCK_STEP_NS,
    };

    while (ioat_poll(&p)) {
        if (qpci_msix_pending(dev, vector)) {
            return;
        }
    }
    g_error("MSI-X vector %u never fired", vector);
}

bool ioat_poll(IoatPoll *p)
{
    gint64 now = g_get_monotonic_time();

    if (!p->end) {
        p->end = now + (p->timeout_us ? p->timeout_us : IOAT_POLL_TIMEOUT_US);
        return true;
    }
    if (now >= p->end) {
        return false;
    }
    if (p->clock_step_ns) {
        qtest_clock_step(p->qts, p->clock_step_ns);
    }
    if (p->sleep_us) {
        g_usleep(p->sleep_us);
    }
    return true;
}

/*
 * End the test's machine the way QEMU ends on its own (QMP quit) and reap
 * it: qos-test's qtest_quit() on a machine still running signals it and
 * then waits in 100 ms steps, most of a short test's time.  A QEMU that
 * crashed or exited non-zero fails the test here.
 */
void ioat_qtest_quit_machine(QTestState *qts)
{
    IoatPoll p = { .sleep_us = 500, .timeout_us = 10 * G_USEC_PER_SEC };

    qobject_unref(qtest_qmp(qts, "{'execute': 'quit'}"));
    while (qtest_probe_child(qts)) {
        g_assert_true(ioat_poll(&p));
    }
}

/* Properties of a running device, e.g. the fault-* ones. */
void ioat_qom_set_uint(QTestState *qts, const char *path, const char *prop,
                       uint64_t value)
{
    qtest_qmp_assert_success(qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': %s, 'property': %s, 'value': %" PRIu64
                             "}}", path, prop, value);
}

void ioat_qom_set_bool(QTestState *qts, const char *path, const char *prop,
                       bool value)
{
    qtest_qmp_assert_success(qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': %s, 'property': %s, 'value': %i}}",
                             path, prop, value);
}

void ioat_qom_set_str(QTestState *qts, const char *path, const char *prop,
                      const char *value)
{
    qtest_qmp_assert_success(qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': %s, 'property': %s, 'value': %s}}",
                             path, prop, value);
}

uint64_t ioat_qom_get_uint(QTestState *qts, const char *path,
                           const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                           "{'path': %s, 'property': %s}}", path, prop);
    uint64_t value = qdict_get_int(rsp, "return");

    qobject_unref(rsp);
    return value;
}

/* Poll query-migrate until the migration completed; fail if it failed. */
void ioat_qtest_wait_migration(QTestState *qts)
{
    IoatPoll p = {
        .sleep_us = 10 * 1000,
        .timeout_us = 30 * G_USEC_PER_SEC,
    };

    while (ioat_poll(&p)) {
        QDict *rsp = qtest_qmp(qts, "{'execute': 'query-migrate'}");
        QDict *ret = qdict_get_qdict(rsp, "return");
        const char *status = qdict_get_try_str(ret, "status");
        bool done = !g_strcmp0(status, "completed");

        g_assert_cmpstr(status, !=, "failed");
        qobject_unref(rsp);
        if (done) {
            return;
        }
    }
    g_error("migration did not complete within 30 s");
}

/*
 * Send QEMU's guest-error and unimplemented-feature log of the machine
 * @cmd_line starts to a file of its own; returns the file's name.
 */
char *ioat_log_attach(GString *cmd_line, const char *dev)
{
    char *path = g_strdup_printf("%s/%s-qtest-%d.log", g_get_tmp_dir(), dev,
                                 getpid());

    unlink(path);
    g_string_append_printf(cmd_line, " -d guest_errors,unimp -D %s ", path);
    return path;
}

/* The number of lines of the log at @path that start with @prefix. */
unsigned ioat_log_count(const char *path, const char *prefix)
{
    g_autofree char *log = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned n = 0;

    if (!g_file_get_contents(path, &log, NULL, NULL)) {
        return 0;               /* QEMU opens the file at its first line */
    }
    lines = g_strsplit(log, "\n", -1);
    for (char **line = lines; *line; line++) {
        n += g_str_has_prefix(*line, prefix);
    }
    return n;
}

/* Lines of the log at @path that start with trace event @event's name. */
unsigned ioat_log_events(const char *path, const char *event)
{
    g_autofree char *prefix = g_strconcat(event, ": ", NULL);

    return ioat_log_count(path, prefix);
}

/*
 * The thread that logged trace event @event first, from the "TID@TIME:"
 * QEMU puts before each trace line under -msg timestamp=on; -1 if @event
 * is not in the log at @path.
 */
long ioat_log_event_thread(const char *path, const char *event)
{
    g_autofree char *log = NULL;
    g_autofree char *tag = g_strconcat(":", event, " ", NULL);
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents(path, &log, NULL, NULL)) {
        return -1;
    }
    lines = g_strsplit(log, "\n", -1);
    for (char **line = lines; *line; line++) {
        const char *end;
        long tid;

        if (strstr(*line, tag) && !qemu_strtol(*line, &end, 10, &tid) &&
            *end == '@') {
            return tid;
        }
    }
    return -1;
}

void ioat_log_remove(char *path)
{
    if (path) {
        unlink(path);
        g_free(path);
    }
}
