/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/ioat-copy: copy between two user buffers, or fill a user buffer with
 * a 64-bit pattern, through an ioat-dma channel
 *
 * Shared by the ioat_dma driver and its user-space tools.  The driver pins
 * the buffers and runs the request 1 MiB at a time; the ioctl returns once
 * the engine has finished (or failed) it.
 *
 * Errors: EFAULT for a buffer that cannot be pinned (unmapped, or a
 * destination that is not writable), EINVAL for a bad channel, flags or
 * non-zero irq_ns on input, E2BIG above IOAT_COPY_MAX_LEN, EOPNOTSUPP for a fill
 * when the device does not advertise block fill, EBUSY when the channel's
 * ring has no room, ENODEV when no device is bound, ETIMEDOUT or EIO if
 * the engine did not finish the request.  A request that fails part-way
 * leaves the 1 MiB pieces before the failing one done.
 */
#ifndef _UAPI_IOAT_COPY_H
#define _UAPI_IOAT_COPY_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define IOAT_COPY_DEVICE	"/dev/ioat-copy"
#define IOAT_COPY_MAX_LEN	(64ULL << 20)

/**
 * struct ioat_copy - one copy
 * @dst: user address of the destination
 * @src: user address of the source
 * @len: bytes to copy (0 is a no-op)
 * @channel: the channel to use, 0 .. number of channels - 1
 * @flags: must be 0
 * @descs: out: hardware descriptors the copy took
 * @irq_ns: in: must be 0; out: nanoseconds from the doorbell to the
 *	channel's interrupt handler, summed over the 1 MiB pieces (a piece
 *	that completed without an interrupt since its doorbell adds none),
 *	at most 2^32 - 1
 * @ns: out: nanoseconds from doorbell to completion, summed over the
 *	1 MiB pieces
 */
struct ioat_copy {
	__u64 dst;
	__u64 src;
	__u64 len;
	__u32 channel;
	__u32 flags;
	__u32 descs;
	__u32 irq_ns;
	__u64 ns;
};

/**
 * struct ioat_fill - one fill
 * @dst: user address of the destination
 * @pattern: the 64-bit pattern: destination byte k becomes byte k % 8 of
 *	@pattern in little-endian order, counting k from @dst whatever its
 *	alignment (for a byte b, pass 0x0101010101010101 * b)
 * @len: bytes to fill (0 is a no-op)
 * @channel: the channel to use, 0 .. number of channels - 1
 * @flags: must be 0
 * @descs: out: hardware descriptors the fill took
 * @irq_ns: in: must be 0; out: nanoseconds from the doorbell to the
 *	channel's interrupt handler, summed over the 1 MiB pieces (a piece
 *	that completed without an interrupt since its doorbell adds none),
 *	at most 2^32 - 1
 * @ns: out: nanoseconds from doorbell to completion, summed over the
 *	1 MiB pieces
 */
struct ioat_fill {
	__u64 dst;
	__u64 pattern;
	__u64 len;
	__u32 channel;
	__u32 flags;
	__u32 descs;
	__u32 irq_ns;
	__u64 ns;
};

#define IOAT_COPY_IOC_MAGIC	0xA7
#define IOAT_COPY_IOC_COPY	_IOWR(IOAT_COPY_IOC_MAGIC, 1, struct ioat_copy)
#define IOAT_COPY_IOC_FILL	_IOWR(IOAT_COPY_IOC_MAGIC, 2, struct ioat_fill)

#endif /* _UAPI_IOAT_COPY_H */
