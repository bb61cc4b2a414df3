public enum BCSandboxVersion { public static let string = "0.1.0" }
