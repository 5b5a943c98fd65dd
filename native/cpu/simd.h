// Function multiversioning for the hot CPU loops: one binary carries AVX-512, AVX2+FMA and baseline clones of each
// marked function, and the loader picks the best for the machine (GCC/Clang target_clones, resolved once via ifunc).
#pragma once

// The clones are chosen by feature level (x86-64-v3 = AVX2+FMA+BMI2, v4 = AVX-512), not by CPU model name, so AMD and
// Intel parts alike get them. GCC 12+ only (ifunc on glibc); other compilers build the baseline loops.
#if defined(__x86_64__) && defined(__linux__) && !defined(TN_NO_MULTIVERSION) && !defined(__clang__) && \
    defined(__GNUC__) && __GNUC__ >= 12
#define TN_MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TN_MULTIVERSION
#endif
