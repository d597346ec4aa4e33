/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Front of an app that can run as a forked secondary: the binary a user
 * starts, linked with libc alone. With the forked option it is the launcher
 * (mps_launch_forked()), which then maps no DPDK library: loading and
 * initialising them took most of a forked start. Without it, it execs the
 * app's image with the same arguments, in the same process.
 *
 * Built by examples/meson.build, with MP_FRONT_ENTRY (the forked entry),
 * MP_FRONT_NAME and MP_FRONT_TAG (how the app's error lines start; an empty
 * name for the basename of argv[0]) and MP_FRONT_IMAGE (the app's image:
 * the path from the front's directory in the build tree, then the installed
 * path).
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mps_launch.h"

static const char *
front_name(const char *argv0)
{
	const char *slash;

	if (MP_FRONT_NAME[0] != '\0')
		return MP_FRONT_NAME;
	slash = strrchr(argv0, '/');
	return slash != nullptr ? slash + 1 : argv0;
}

int
main(int argc, char **argv)
{
	char err[512];

	if (mps_launch_forked(argc, argv, MP_FRONT_ENTRY, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s%s\n", front_name(argv[0]), MP_FRONT_TAG, err);
		return EXIT_FAILURE;
	}

	/* Not forked: the app itself, in this process. */
	char self[PATH_MAX];
	char image[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != nullptr)
			*slash = '\0';
		snprintf(image, sizeof(image), "%s/%s", self, MP_FRONT_IMAGE);
		execv(image, argv);
	}
	execv(MP_FRONT_IMAGE_INSTALLED, argv);
	fprintf(stderr, "%s: %scannot run the app's image %s: %s\n", front_name(argv[0]),
		MP_FRONT_TAG, MP_FRONT_IMAGE_INSTALLED, strerror(errno));
	return EXIT_FAILURE;
}
