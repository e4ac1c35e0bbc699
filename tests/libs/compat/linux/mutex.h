/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kmod/lib: see kref.h. */
#include <linux/kref.h>
