// Compiled into the module ResponderWorker with the LLM answer scanner's sources only (StatedValue, StatedValueScanner,
// StatedAmount, StatedDate, GroundingGuard). Every LLM answer and every fact it is checked against is scanned.
// Properties: no crash; dates have a month in 1...12 and a day in 1...31; a text is always grounded in itself.
import Foundation  // the scanner's `padding(toLength:)`; elsewhere in the module another file imports it

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatedValues(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzInput(data, size).lossyText
    let values = StatedValue.extract(from: text)
    for value in values {
        switch value {
        case .date(let date):
            fuzzCheck(!date.readings.isEmpty, "date without readings")
            for reading in date.readings {
                fuzzCheck((1...12).contains(reading.month) && (1...31).contains(reading.day), "date \(reading)")
            }
        case .amount(let amount):
            fuzzCheck(!amount.thousandths.isEmpty, "amount without readings")
        case .reference(let reference):
            fuzzCheck(!reference.isEmpty, "empty reference")
        }
    }
    let ungrounded = GroundingGuard(sources: [text]).ungrounded(in: text)
    fuzzCheck(ungrounded.isEmpty, "a text is not grounded in itself: \(ungrounded)")
    return 0
}
