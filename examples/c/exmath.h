/* exmath.h - a tiny library for the crosshim C example. */
#ifndef CROSSHIM_EXAMPLE_EXMATH_H
#define CROSSHIM_EXAMPLE_EXMATH_H

#include <stddef.h>

/* The p-norm of v[0..n): (sum |v[i]|^p)^(1/p). Uses pow() and fabs() from
 * libm; p comes from the caller at run time, so the compiler cannot fold the
 * calls away and the program really needs libm.so.6 from the target. */
double ex_pnorm(const double *v, size_t n, double p);

/* The name Rust would give the architecture this file was compiled for
 * (std::env::consts::ARCH): "aarch64", "arm", "x86", "x86_64", ... */
const char *ex_arch(void);

#endif
