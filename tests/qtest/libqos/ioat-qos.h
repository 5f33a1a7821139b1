/*
 * Registering the ioat-nic and ioat-dma qtests in qos graph areas
 *
 * qos-test walks its graph depth first on a stack of
 * QOS_PATH_MAX_ELEMENT_SIZE (128) entries and pushes all the children of
 * a node at once.  At a test the stack holds the path from the root, the
 * nodes pending beside it (the PC's other PCI devices and so on), the
 * device's areas not yet walked and every test of the area being walked.
 * One entry too many aborts qos-test ("QOSStack: full stack, cannot
 * push") for every device and every test.
 *
 * Measured with QEMU 10.0: the ioat-nic area walked last holds at most 82
 * tests, the one walked first (seven areas pending) 75; the path and the
 * other pending nodes take IOAT_QOS_GRAPH_PENDING entries.  So each device
 * node produces one qos interface per area of tests ("ioat-nic-receive",
 * ...), an area holds at most IOAT_QOS_MAX_TESTS_PER_NODE tests and a
 * device at most IOAT_QOS_MAX_AREAS areas, which leaves a few entries for
 * QEMU's graph to grow.  ioat_qos_add_test() enforces the first while the
 * tests are registered: one test too many stops qos-test at once, naming
 * the area, before any test runs.  A build-time check in the node
 * enforces the second.  More tests than fit: add an area.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef QOS_IOAT_QOS_H
#define QOS_IOAT_QOS_H

#include "qgraph.h"

#define IOAT_QOS_GRAPH_PENDING          46
#define IOAT_QOS_MAX_AREAS              13
#define IOAT_QOS_MAX_TESTS_PER_NODE     64

QEMU_BUILD_BUG_ON(IOAT_QOS_GRAPH_PENDING + IOAT_QOS_MAX_AREAS +
                  IOAT_QOS_MAX_TESTS_PER_NODE > QOS_PATH_MAX_ELEMENT_SIZE);

void ioat_qos_add_test(const char *area, const char *name, QOSTestFunc fn,
                       QOSGraphTestOptions *opts);

#endif
