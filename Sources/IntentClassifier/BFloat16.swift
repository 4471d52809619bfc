/// bfloat16 storage of model weights: the upper 16 bits of a `Float32`, rounded to nearest even.
enum BFloat16 {
    /// The bfloat16 bits of `value` (finite values; NaN stays NaN).
    @inline(__always)
    static func bits(_ value: Float) -> UInt16 {
        let raw = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: raw >> 16) | 0x0040 }
        let rounded = raw &+ 0x7FFF &+ ((raw >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// The `Float` with bfloat16 bits `bits`.
    @inline(__always)
    static func float(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `value` rounded to the nearest bfloat16.
    @inline(__always)
    static func round(_ value: Float) -> Float { float(bits(value)) }
}
