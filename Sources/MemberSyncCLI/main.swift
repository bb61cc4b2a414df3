import Foundation
import MemberSync

let code = await MemberSyncCommand.main(Array(CommandLine.arguments.dropFirst()))
exit(code)
