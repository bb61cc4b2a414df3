#if canImport(Glibc)
    import Glibc
#endif

/// Gives memory the process freed back to the system. glibc's malloc keeps freed memory in its heaps
/// for reuse (and a pass that read 50,000 profiles frees tens of megabytes in small pieces between
/// live ones), so without this the service's resident size only grows with the largest pass it ran.
enum FreedMemory {
    #if canImport(Glibc)
        private typealias Trim = @convention(c) (Int) -> Int32

        /// glibc's `malloc_trim`, looked up once (its header is not part of the Glibc module).
        private static let trim: Trim? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: Trim.self)
        }()
    #endif

    /// Returns the free pages of every malloc arena to the system (`malloc_trim(0)`); a no-op elsewhere.
    static func release() {
        #if canImport(Glibc)
            _ = trim?(0)
        #endif
    }
}
