//! crosshim Rust example: calls C code (src/answer.c, compiled by build.rs via
//! the cc crate) and prints one deterministic line with the target arch.
use std::ffi::CStr;
use std::os::raw::c_char;

extern "C" {
    fn crosshim_c_arch() -> *const c_char;
    fn crosshim_c_sum(v: *const u32, n: usize) -> u64;
}

fn main() {
    let values: Vec<u32> = (1..=10).collect();
    // SAFETY: crosshim_c_arch returns a pointer to a static NUL-terminated
    // string; crosshim_c_sum reads exactly `values.len()` elements.
    let (c_arch, sum) = unsafe {
        (
            CStr::from_ptr(crosshim_c_arch()).to_str().expect("ASCII arch name"),
            crosshim_c_sum(values.as_ptr(), values.len()),
        )
    };
    let rust_arch = std::env::consts::ARCH;
    if c_arch != rust_arch {
        eprintln!("C was compiled for {}, Rust for {}", c_arch, rust_arch);
        std::process::exit(1);
    }
    println!(
        "crosshim example (Rust): {} {}-bit, C via cc crate: sum(1..=10) = {}",
        rust_arch,
        usize::BITS,
        sum
    );
}
