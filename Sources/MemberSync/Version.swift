public enum MemberSyncVersion { public static let string = "0.1.0" }
