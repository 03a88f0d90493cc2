// main.cpp - crosshim C++17 example: iostream, std::string, std::vector and an
// exception that is thrown and caught (needs the target's libstdc++ and the
// unwinder from libgcc_s), printing one deterministic line.
#include <iostream>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr std::string_view arch_name()
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

// Throws for an empty input, so main() can prove that unwinding works.
int checked_sum(const std::vector<int>& values)
{
    if (values.empty())
        throw std::invalid_argument("empty input");
    return std::accumulate(values.begin(), values.end(), 0);
}

std::pair<std::string, std::size_t> join(const std::vector<std::string>& words, char sep)
{
    std::string out;
    for (const auto& w : words) {
        if (!out.empty())
            out += sep;
        out += w;
    }
    return {out, words.size()};
}

} // namespace

int main()
{
    const std::vector<std::string> words{"built", "by", "crosshim"};
    const auto [joined, count] = join(words, '-'); // C++17 structured binding

    std::string caught = "nothing";
    try {
        checked_sum({});
    } catch (const std::exception& e) {
        caught = e.what();
    }

    std::cout << "crosshim example (C++): " << arch_name() << ' ' << sizeof(void*) * 8
              << "-bit, " << joined << " (" << count << " words), sum = "
              << checked_sum({1, 2, 3, 4, 5}) << ", caught \"" << caught << "\"" << std::endl;
    return 0;
}
