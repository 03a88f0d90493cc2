// Compiles src/answer.c with the C compiler cc picks for the target:
// CC_<target> (set by examples/run.sh to the crosshim name) wins.
fn main() {
    println!("cargo:rerun-if-changed=src/answer.c");
    cc::Build::new()
        .file("src/answer.c")
        .warnings(true)
        .compile("answer");
}
