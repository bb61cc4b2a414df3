/// A value that must not be printed, such as an access token: `description`, `debugDescription`,
/// string interpolation and `dump` all show `<redacted>`. Read the value with `exposedValue` only where
/// it is sent.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let exposedValue: String

    public init(_ value: String) {
        self.exposedValue = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
