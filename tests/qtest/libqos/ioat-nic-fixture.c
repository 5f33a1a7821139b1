/*
 * The fixture of the ioat-nic qtests: registration.  Each test runs
 * through run_nic_test() on a machine of its own; nic_test_init() makes
 * its fixture and adds the netdev and the log to the command line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qgraph.h"
#include "ioat-qos.h"
#include "ioat-nic-fixture.h"

typedef struct NicTestDef {
    NicTestFunc fn;
    const void *arg;
} NicTestDef;

static void nic_test_clear(void *opaque)
{
    NicTest *t = opaque;

    close(t->wire);
    qos_invalidate_command_line();
    close(t->qemu_sock);
    ioat_log_remove(t->log);
    for (unsigned q = 0; q < NIC_QUEUES; q++) {
        g_free(t->rx[q]);
        g_free(t->tx[q]);
    }
    g_free(t);
}

static void *nic_test_init(GString *cmd_line, void *arg)
{
    const NicTestDef *def = arg;
    NicTest *t = g_new0(NicTest, 1);
    int fds[2];

    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    t->wire = fds[0];
    t->qemu_sock = fds[1];
    t->fn = def->fn;
    t->arg = def->arg;
    t->log = ioat_log_attach(cmd_line, "ioat-nic");
    g_string_append_printf(cmd_line, " -netdev socket,fd=%d,id=hs0 ", fds[1]);
    g_test_queue_destroy(nic_test_clear, t);
    return t;
}

static void run_nic_test(void *obj, void *data, QGuestAllocator *alloc)
{
    NicTest *t = data;

    t->d = obj;
    t->alloc = alloc;
    t->fn(t);
}

/* @fn as test @name of @area, with @arg as its fixture's t->arg. */
void ioat_nic_add_test(QIoatNicArea area, const char *name, NicTestFunc fn,
                       const void *arg)
{
    NicTestDef *def = g_new(NicTestDef, 1);     /* lives as long as qos-test */
    QOSGraphTestOptions opts = {
        .before = nic_test_init,
        .arg = def,
        .edge.extra_device_opts = "id=nic0,mac=" TEST_MAC_STR,
    };

    def->fn = fn;
    def->arg = arg;
    ioat_qos_add_test(qioat_nic_areas[area], name, run_nic_test, &opts);
}

void ioat_nic_add_tests(QIoatNicArea area, const NicTestCase *tests, int n)
{
    for (int i = 0; i < n; i++) {
        ioat_nic_add_test(area, tests[i].name, tests[i].fn, NULL);
    }
}
