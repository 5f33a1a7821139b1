/*
 * The fixture of the ioat-nic qtests: registration.  Each test runs
 * through run_nic_test() on a machine of its own; nic_test_init() makes
 * its fixture and adds the netdev and the log to the command line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/un.h>
#include "libqtest-single.h"
#include "libqos/qgraph.h"
#include "libqos/ioat-qos.h"
#include "ioat-nic-fixture.h"
#include "qobject/qdict.h"

typedef struct NicTestDef {
    NicTestFunc fn;
    const void *arg;
    bool stream_wire;
} NicTestDef;

static void nic_test_clear(void *opaque)
{
    NicTest *t = opaque;

    ioat_qtest_quit_machine(global_qtest);
    if (t->wire >= 0) {
        close(t->wire);
    }
    qos_invalidate_command_line();
    if (t->qemu_sock >= 0) {
        close(t->qemu_sock);
    }
    if (t->stream_path) {
        unlink(t->stream_path);
        g_free(t->stream_path);
    }
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

    t->fn = def->fn;
    t->arg = def->arg;
    t->log = ioat_log_attach(cmd_line, "ioat-nic");
    if (def->stream_wire) {
        t->wire = t->qemu_sock = -1;
        t->stream_path = g_strdup_printf("%s/ioat-nic-wire-%d.sock",
                                         g_get_tmp_dir(), getpid());
        g_string_append_printf(cmd_line, " -netdev stream,id=hs0,server=on,"
                               "addr.type=unix,addr.path=%s ",
                               t->stream_path);
        g_test_queue_destroy(nic_test_clear, t);
        return t;
    }
    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    t->wire = fds[0];
    t->qemu_sock = fds[1];
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
static void add_test(QIoatNicArea area, const char *name, NicTestFunc fn,
                     const void *arg, bool stream_wire, const char *device_opts)
{
    NicTestDef *def = g_new(NicTestDef, 1);     /* lives as long as qos-test */
    QOSGraphTestOptions opts = {
        .before = nic_test_init,
        .arg = def,
        /* Lives as long as qos-test, as def does. */
        .edge.extra_device_opts = g_strconcat("id=nic0,mac=" TEST_MAC_STR,
                                              device_opts ? "," : "",
                                              device_opts, NULL),
    };

    def->fn = fn;
    def->arg = arg;
    def->stream_wire = stream_wire;
    ioat_qos_add_test(qioat_nic_areas[area], name, run_nic_test, &opts);
}

void ioat_nic_add_test(QIoatNicArea area, const char *name, NicTestFunc fn,
                       const void *arg)
{
    add_test(area, name, fn, arg, false, NULL);
}

void ioat_nic_add_test_opts(QIoatNicArea area, const char *name,
                            NicTestFunc fn, const char *device_opts)
{
    add_test(area, name, fn, NULL, false, device_opts);
}

void ioat_nic_add_stream_test(QIoatNicArea area, const char *name,
                              NicTestFunc fn)
{
    add_test(area, name, fn, NULL, true, NULL);
}

/* Connect the test's end of the stream wire (the netdev listens). */
void wire_connect(NicTest *t)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    g_assert_nonnull(t->stream_path);
    g_assert_cmpint(t->wire, <, 0);
    g_strlcpy(addr.sun_path, t->stream_path, sizeof(addr.sun_path));
    t->wire = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(t->wire, >=, 0);
    g_assert_cmpint(connect(t->wire, (struct sockaddr *)&addr, sizeof(addr)),
                    ==, 0);
}

/* The peer at the other end of the wire goes away. */
void wire_hang_up(NicTest *t)
{
    g_assert_cmpint(t->wire, >=, 0);
    close(t->wire);
    t->wire = -1;
}

void ioat_nic_add_tests(QIoatNicArea area, const NicTestCase *tests, int n)
{
    for (int i = 0; i < n; i++) {
        ioat_nic_add_test(area, tests[i].name, tests[i].fn, NULL);
    }
}

/* Migration */

char *migration_file(const char *suffix)
{
    return g_strdup_printf("%s/ioat-nic-mig-%d%s", g_get_tmp_dir(),
                           getpid(), suffix);
}

/* Migrate the test's machine into the file @path. */
void migrate_to_file(NicTest *t, const char *path)
{
    g_autofree char *uri = g_strdup_printf("file:%s", path);

    qtest_qmp_assert_success(qts(t), "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    ioat_qtest_wait_migration(qts(t));
}

/*
 * A machine with the NIC on a wire of its own (@wire: the test's end)
 * that loads the migration in file @path.  Returns the migration's final
 * status, "completed" or "failed"; a failed load leaves it running.
 */
QTestState *migration_destination(const char *path, int *wire,
                                  char **status)
{
    g_autofree char *uri = g_strdup_printf("file:%s", path);
    IoatPoll p = { .sleep_us = 10 * 1000, .timeout_us = 30 * G_USEC_PER_SEC };
    QTestState *dst;
    int fds[2];

    /* No RARP self-announcements: only the test's frames on the wire */
    g_assert_cmpint(socketpair(PF_UNIX, SOCK_STREAM, 0, fds), !=, -1);
    dst = qtest_initf("-M pc -device ioat-nic,addr=" IOAT_NIC_QOS_ADDR
                      ",netdev=hs0,mac=%s "
                      "-netdev socket,fd=%d,id=hs0 "
                      "-global migration.announce-rounds=0 -incoming defer",
                      TEST_MAC_STR, fds[1]);
    close(fds[1]);
    *wire = fds[0];
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': %s, "
                             "'exit-on-error': false}}", uri);
    while (ioat_poll(&p)) {
        QDict *rsp = qtest_qmp(dst, "{'execute': 'query-migrate'}");
        const char *s = qdict_get_try_str(qdict_get_qdict(rsp, "return"),
                                          "status");

        if (!g_strcmp0(s, "completed") || !g_strcmp0(s, "failed")) {
            *status = g_strdup(s);
            qobject_unref(rsp);
            return dst;
        }
        qobject_unref(rsp);
    }
    g_error("the incoming migration did not end within 30 s");
}

/* Point the fixture (its MMIO and its wire) at machine @qts. */
void use_machine(NicTest *t, QTestState *qts, int wire)
{
    t->d->pci_dev.bus->qts = qts;
    t->wire = wire;
}

/* Write @path's copy with its one 32-bit value @from replaced by @to. */
/* Copy @path to @copy with its one occurrence of @from (@size bytes) as @to */
static void patch_migration_bytes(const char *path, const char *copy,
                                  const uint8_t *from, const uint8_t *to,
                                  size_t size)
{
    g_autofree char *data = NULL;
    uint8_t *hit = NULL;
    unsigned found = 0;
    gsize len;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    for (gsize i = 0; i + size <= len; i++) {
        if (!memcmp(data + i, from, size)) {
            hit = (uint8_t *)data + i;
            found++;
        }
    }
    g_assert_cmpuint(found, ==, 1);
    memcpy(hit, to, size);
    g_assert_true(g_file_set_contents(copy, data, len, NULL));
}

void patch_migration(const char *path, const char *copy, uint32_t from,
                     uint32_t to)
{
    uint8_t be_from[4], be_to[4];

    stl_be_p(be_from, from);
    stl_be_p(be_to, to);
    patch_migration_bytes(path, copy, be_from, be_to, sizeof(be_from));
}

void patch_migration64(const char *path, const char *copy, uint64_t from,
                       uint64_t to)
{
    uint8_t be_from[8], be_to[8];

    stq_be_p(be_from, from);
    stq_be_p(be_to, to);
    patch_migration_bytes(path, copy, be_from, be_to, sizeof(be_from));
}
