// SCPT_UNDER_ASAN: 1 when this file is compiled with AddressSanitizer, by gcc or clang. ASan reserves
// terabytes of shadow memory, so an address-space cap (RLIMIT_AS) cannot be used under it.
#pragma once

#if defined(__SANITIZE_ADDRESS__)  // gcc
#define SCPT_UNDER_ASAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define SCPT_UNDER_ASAN 1
#endif
#endif
#ifndef SCPT_UNDER_ASAN
#define SCPT_UNDER_ASAN 0
#endif
