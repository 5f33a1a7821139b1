/*
 * Registering the ioat-nic and ioat-dma qtests in qos graph areas
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "ioat-qos.h"

/* qos_add_test(), refusing loudly a test that would overflow the walk. */
void ioat_qos_add_test(const char *area, const char *name, QOSTestFunc fn,
                       QOSGraphTestOptions *opts)
{
    static GHashTable *tests;
    unsigned n;

    if (!tests) {
        tests = g_hash_table_new(g_str_hash, g_str_equal);
    }
    n = GPOINTER_TO_UINT(g_hash_table_lookup(tests, area)) + 1;
    if (n > IOAT_QOS_MAX_TESTS_PER_NODE) {
        g_printerr("%s: test %s would be number %u, but at most %d tests "
                   "fit in one qos node (tests/qtest/libqos/ioat-qos.h): "
                   "register it in another area\n",
                   area, name, n, IOAT_QOS_MAX_TESTS_PER_NODE);
        exit(EXIT_FAILURE);
    }
    g_hash_table_insert(tests, (gpointer)area, GUINT_TO_POINTER(n));
    qos_add_test(name, area, fn, opts);
}
