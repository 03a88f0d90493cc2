/* main.c - crosshim C example: prints one deterministic line that says which
 * architecture the code was compiled for and proves libm works at run time. */
#include "exmath.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    /* argc is 1 when run without arguments: p = 2 gives the Euclidean norm
     * of (1, 1), i.e. sqrt(2). Taking it from argc keeps it a run-time value. */
    const double p = 1.0 + argc;
    const double v[] = {1.0, 1.0};

    printf("crosshim example (C): %s %u-bit, norm(1,1) = %.6f\n",
           ex_arch(), (unsigned)(sizeof(void *) * 8),
           ex_pnorm(v, sizeof v / sizeof v[0], p));
    return 0;
}
