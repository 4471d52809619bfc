// Shared by every fuzz harness (compiled into each target's module): the bytes libFuzzer hands over.

/// The input of one fuzz iteration as bytes, and as text when it is UTF-8 (nil otherwise: the decoders under test take
/// `String`s only after the transport has validated them).
struct FuzzInput {
    let bytes: [UInt8]

    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        self.bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    }

    var text: String? { String(validating: self.bytes, as: UTF8.self) }

    /// Invalid UTF-8 repaired the way `String(decoding:)` does, for decoders that take any `String`.
    var lossyText: String { String(decoding: self.bytes, as: UTF8.self) }
}

/// A property every input must keep; a violation crashes, so libFuzzer saves the input.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz property violated: \(message())") }
}
