/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kmod/lib: gfp_t is in types.h. */
#include <linux/types.h>
