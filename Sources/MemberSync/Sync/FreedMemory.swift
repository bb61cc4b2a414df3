#if canImport(Glibc)
    import Glibc
#endif

/// Keeps glibc's malloc from holding on to freed memory. It keeps what is freed in its heaps for
/// reuse, one heap (arena) per thread that needed one; a pass that read 50,000 profiles frees tens of
/// megabytes in small pieces between live ones, and the service's passes hop between threads, so
/// without this its resident size grows with every arena's largest pass. No-ops off glibc.
enum FreedMemory {
    #if canImport(Glibc)
        private typealias Trim = @convention(c) (Int) -> Int32
        private typealias Option = @convention(c) (Int32, Int32) -> Int32

        /// glibc's `malloc_trim` and `mallopt`, looked up once (`malloc.h` is not part of the Glibc module).
        private static let trim: Trim? = symbol("malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
        private static let option: Option? = symbol("mallopt").map { unsafeBitCast($0, to: Option.self) }

        /// `M_ARENA_MAX` of `malloc.h`.
        private static let arenaMax: Int32 = -8

        private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
        }
    #endif

    /// Makes every thread allocate from one arena (`mallopt(M_ARENA_MAX, 1)`), so that memory one pass
    /// freed on one thread is reused by the next pass on another. For the service, whose passes mostly
    /// wait on the network; call it before other threads start.
    static func useOneArena() {
        #if canImport(Glibc)
            _ = option?(arenaMax, 1)
        #endif
    }

    /// Returns the free pages of every arena to the system (`malloc_trim(0)`).
    static func release() {
        #if canImport(Glibc)
            _ = trim?(0)
        #endif
    }
}
