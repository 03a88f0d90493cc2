/* answer.c - C code linked into the Rust example through the cc crate. */
#include <stdint.h>

/* Same names as Rust's std::env::consts::ARCH, so main.rs can check that the
 * C side and the Rust side were compiled for the same architecture. */
const char *crosshim_c_arch(void)
{
#if defined(__aarch64__)
    return "aarch64";
#elif defined(__arm__)
    return "arm";
#elif defined(__x86_64__)
    return "x86_64";
#elif defined(__i386__)
    return "x86";
#else
    return "unknown";
#endif
}

/* Sum of v[0..n) as 64-bit, whatever the width of size_t. */
uint64_t crosshim_c_sum(const uint32_t *v, uintptr_t n)
{
    uint64_t sum = 0;
    for (uintptr_t i = 0; i < n; ++i)
        sum += v[i];
    return sum;
}
