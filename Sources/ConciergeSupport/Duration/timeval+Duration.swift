#if canImport(Glibc)
    public import Glibc
#elseif canImport(Musl)
    public import Musl
#elseif canImport(Darwin)
    public import Darwin
#endif

// The C library's `timeval` type only (socket and rabbitmq-c timeouts): no call into C is made here.
extension timeval {
    /// `duration` in whole seconds and microseconds, truncated toward zero.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        #if canImport(Darwin)
            self.init(tv_sec: Int(seconds), tv_usec: Int32(attoseconds / 1_000_000_000_000))
        #else
            self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        #endif
    }
}
