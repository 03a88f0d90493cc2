/* exmath.c - library half of the crosshim C example. */
#include "exmath.h"

#include <math.h>

double ex_pnorm(const double *v, size_t n, double p)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i)
        sum += pow(fabs(v[i]), p);
    return pow(sum, 1.0 / p);
}

const char *ex_arch(void)
{
#if defined(__aarch64__)
    return "aarch64";
#elif defined(__arm__)
    return "arm";
#elif defined(__x86_64__)
    return "x86_64";
#elif defined(__i386__)
    return "x86";
#elif defined(__riscv) && __riscv_xlen == 64
    return "riscv64";
#else
    return "unknown";
#endif
}
