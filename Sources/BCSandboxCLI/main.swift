import BCSandbox
import Foundation

exit(await SandboxCommand.run(Array(CommandLine.arguments.dropFirst())))
