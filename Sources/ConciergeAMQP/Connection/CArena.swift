internal import CRabbitMQ

/// Scratch C memory (an `amqp_pool_t`) for values that must live across one rabbitmq-c call: field tables,
/// properties, exchange and queue names. Confined to the connection's thread; freed in `deinit` or by `recycle()`.
final class CArena {
    private let pool: UnsafeMutablePointer<amqp_pool_t>

    init(pageSize: Int = 16 * 1024) {
        pool = .allocate(capacity: 1)
        init_amqp_pool(pool, pageSize)
    }

    deinit {
        empty_amqp_pool(pool)
        pool.deallocate()
    }

    /// Makes every allocation so far reusable (keeps the pages).
    func recycle() { recycle_amqp_pool(pool) }

    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let raw = amqp_pool_alloc(pool, MemoryLayout<T>.stride * max(count, 1))!
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        var string = string
        return string.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    func bytes(_ array: [UInt8]) -> amqp_bytes_t {
        array.withUnsafeBytes { bytes($0) }
    }

    func bytes(_ buffer: UnsafeRawBufferPointer) -> amqp_bytes_t {
        guard buffer.count > 0, let base = buffer.baseAddress else { return amqp_bytes_t(len: 0, bytes: nil) }
        let target = amqp_pool_alloc(pool, buffer.count)!
        target.copyMemory(from: base, byteCount: buffer.count)
        return amqp_bytes_t(len: buffer.count, bytes: target)
    }

    /// A NUL-terminated copy of `string` (for the few calls that take `char const *`).
    func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let target = allocate(CChar.self, count: utf8.count)
        target.initialize(from: utf8, count: utf8.count)
        return UnsafePointer(target)
    }
}

extension amqp_bytes_t {
    /// The bytes as a Swift string (invalid UTF-8 is repaired).
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    /// A copy of the bytes.
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: len))
    }
}
