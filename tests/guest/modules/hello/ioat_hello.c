// SPDX-License-Identifier: GPL-2.0
/*
 * Trivial out-of-tree module: proves that modules built against the guest
 * kernel's headers load in the test guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init ioat_hello_init(void)
{
	pr_info("hello, loaded\n");
	return 0;
}

static void __exit ioat_hello_exit(void)
{
	pr_info("goodbye, unloaded\n");
}

module_init(ioat_hello_init);
module_exit(ioat_hello_exit);

MODULE_DESCRIPTION("ioat test harness: trivial out-of-tree module");
MODULE_LICENSE("GPL");
