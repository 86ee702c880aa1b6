"""Every error reply text the engine sends, in one place, worded as Redis 7.0 words them.

The engine raises :class:`ReplyError` carrying the full reply text ("ERR ...", "WRONGTYPE ...");
the dispatcher turns it into an error reply value. Adapters map the first word to their own
exception classes.
"""

from __future__ import annotations


class ReplyError(Exception):
    """An error reply: ``text`` is the full line Redis would send, without the leading '-'."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __repr__(self) -> str:
        return f"ReplyError({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReplyError) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


# --- generic ------------------------------------------------------------------------------------
SYNTAX = "ERR syntax error"
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INTEGER = "ERR value is not an integer or out of range"
NOT_FLOAT = "ERR value is not a valid float"
NOT_POSITIVE = "ERR value is out of range, must be positive"
OVERFLOW = "ERR increment or decrement would overflow"
FLOAT_NAN_OR_INF = "ERR increment would produce NaN or Infinity"
NO_SUCH_KEY = "ERR no such key"
INDEX_OUT_OF_RANGE = "ERR index out of range"
DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range"
INVALID_DB_INDEX = "ERR invalid DB index"  # SELECT of a non-integer before 6.2
SAME_OBJECT = "ERR source and destination objects are the same"
STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
BIT_OFFSET = "ERR bit offset is not an integer or out of range"
BIT_VALUE = "ERR bit is not an integer or out of range"
TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range"
TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range"
TIMEOUT_NEGATIVE = "ERR timeout is negative"
NUMKEYS_POSITIVE = "ERR numkeys should be greater than 0"
NUMKEYS_OVER_ARGS = "ERR Number of keys can't be greater than number of args"
LIMIT_NEGATIVE = "ERR LIMIT can't be negative"
COUNT_POSITIVE = "ERR count should be greater than 0"
NO_AUTH_PASSWORD = (
    "ERR AUTH <password> called without any password configured for the default user. "
    "Are you sure your configuration is correct?"
)
WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled."
NOAUTH = "NOAUTH Authentication required."
NOPROTO = "NOPROTO unsupported protocol version"
PROTOCOL_VERSION = "ERR Protocol version is not an integer or out of range"
CLIENT_NAME_SPACES = "ERR Client names cannot contain spaces, newlines or special characters."
NO_SUCH_CLIENT = "ERR No such client"
DUMP_PAYLOAD = "ERR DUMP payload version or checksum are wrong"
BUSYKEY = "BUSYKEY Target key name already exists."
INVALID_TTL = "ERR Invalid TTL value, must be >= 0"
LCS_BAD_OPTIONS = (
    "ERR If you want both the length and indexes, please just use IDX."
)
NX_XX_GT_LT = "ERR NX and XX, GT or LT options at the same time are not compatible"
GT_LT_NX = "ERR GT and LT options at the same time are not compatible"
MULTI_NESTED = "ERR MULTI calls can not be nested"
EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI"
DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI"
WATCH_IN_MULTI = "ERR WATCH inside MULTI is not allowed"
EXECABORT = "EXECABORT Transaction discarded because of previous errors."
INTERNAL = "ERR internal error in fakeredis: {}"
# --- sets and hashes -----------------------------------------------------------------------------
RANGE_LONG = (
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)
HASH_NOT_INTEGER = "ERR hash value is not an integer"
HASH_NOT_FLOAT = "ERR hash value is not a float"
NAN_OR_INFINITY = "ERR value is NaN or Infinity"
INVALID_CURSOR = "ERR invalid cursor"
# HRANDFIELD/ZRANDMEMBER WITHVALUES/WITHSCORES with a count beyond +-LONG_MAX/2
VALUE_OUT_OF_RANGE = "ERR value is out of range"
SORT_NOT_DOUBLE = "ERR One or more scores can't be converted into double"
NOT_IN_MULTI = "ERR Command not allowed inside a transaction"


def unknown_command(argv: list[bytes], version: tuple[int, ...] = (7, 0, 0)) -> str:
    """The reply to a command name the server does not know, quoting its first arguments
    (servers before 7.0 quoted with backticks, separated by commas, and did not cut the name)."""
    old = version < (7, 0, 0)
    left, right = ("`", "`, ") if old else ("'", "' ")
    shown = ""
    for arg in argv[1:]:
        if len(shown) >= 128:
            break
        shown += left + _text(arg)[: 128 - len(shown)] + right
    name = _text(argv[0]) if old else _text(argv[0])[:128]
    return f"ERR unknown command {left}{name}{left}, with args beginning with: {shown}"


def wrong_arity(fullname: str) -> str:
    """The reply to a known command called with the wrong number of arguments."""
    return f"ERR wrong number of arguments for '{fullname}' command"


def subcommand_arity(sub: bytes, fullname: str, version: tuple[int, ...]) -> str:
    """A subcommand with the wrong number of arguments (before 7.0: the unknown-subcommand text)."""
    if version < (7, 0, 0):
        return unknown_subcommand(sub, fullname.partition("|")[0], version)
    return wrong_arity(fullname)


def unknown_subcommand(sub: bytes, container: str, version: tuple[int, ...] = (7, 0, 0)) -> str:
    """The reply to CONFIG FOO, OBJECT FOO ... (servers before 7.0 worded it their own way, and
    6.0's CLIENT and MEMORY ended it without a full stop)."""
    if version < (7, 0, 0):
        stop = "" if version < (6, 2, 0) and container in ("client", "memory") else "."
        return (f"ERR Unknown subcommand or wrong number of arguments for '{_text(sub)}'. "
                f"Try {container.upper()} HELP{stop}")
    return f"ERR unknown subcommand '{_text(sub)[:128]}'. Try {container.upper()} HELP."


def only_subscribe_commands(fullname: str) -> str:
    """A RESP2 client in subscribed mode called something else."""
    return (f"ERR Can't execute '{fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
            "QUIT / RESET are allowed in this context")


def invalid_expire(command: str, version: tuple[int, ...] = (7, 0, 0)) -> str:
    """SET/SETEX/GETEX ... with an expire time that is not positive or overflows."""
    if version < (7, 0, 0):
        return f"ERR invalid expire time in {command}"
    return f"ERR invalid expire time in '{command}' command"


def _text(arg: bytes) -> str:
    """Bytes as Redis prints them inside an error (a C string: cut at NUL; newlines as spaces).

    Bytes that are not UTF-8 survive as surrogate escapes, so the wire gets them back unchanged.
    """
    if isinstance(arg, bytes):
        text = arg.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
    else:
        text = str(arg)
    return text.replace("\r", " ").replace("\n", " ")


def unsupported_option(option: bytes) -> str:
    """EXPIRE ... with a word other than NX XX GT LT."""
    return f"ERR Unsupported option {_text(option)}"
# --- generic keys and expiry ---------------------------------------------------------------------
RANGE_INT = "ERR value is out of range, value must between -2147483648 and 2147483647"
LFU_NOT_SELECTED = (
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
    "when switching between policies at runtime LRU and LFU data will take some time to adjust."
)
LFU_SELECTED = (
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust."
)
# --- strings and bitmaps -------------------------------------------------------------------------
DECREMENT_OVERFLOW = "ERR decrement would overflow"
OFFSET_OUT_OF_RANGE = "ERR offset is out of range"
LCS_NOT_STRINGS = "ERR The specified keys must contain string values"
BIT_ARGUMENT = "ERR The bit argument must be 1 or 0."
BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key."
BITFIELD_TYPE = (
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
)
BITFIELD_OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified"
BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand"
# --- lists ---------------------------------------------------------------------------------------
LPOS_RANK_ZERO = (
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
    "or use negative to start from the end of the list"
)
LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative"
LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative"
# --- hyperloglog ---------------------------------------------------------------------------------
HLL_WRONGTYPE = "WRONGTYPE Key is not a valid HyperLogLog string value."
HLL_CORRUPT = "INVALIDOBJ Corrupted HLL object detected"
HLL_NO_KEY = "ERR The specified key does not exist"
HLL_NOT_SPARSE = "ERR HLL encoding is not sparse"
HLL_SELFTEST_FAILED = "ERR TESTFAILED {}"


def pfdebug_unknown(sub: bytes) -> str:
    """PFDEBUG with a subcommand it does not know."""
    return f"ERR Unknown PFDEBUG subcommand '{_text(sub)}'"
# --- sorted sets ---------------------------------------------------------------------------------
ZADD_XX_NX = "ERR XX and NX options at the same time are not compatible"
ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible"
ZADD_INCR_PAIR = "ERR INCR option supports a single increment-element pair"
SCORE_NAN = "ERR resulting score is not a number (NaN)"
MIN_MAX_NOT_FLOAT = "ERR min or max is not a float"
MIN_MAX_NOT_LEX = "ERR min or max not valid string range item"
LIMIT_NEEDS_BY = (
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
)
WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
WEIGHT_NOT_FLOAT = "ERR weight value is not a float"


def no_input_keys(command: str, version: tuple[int, ...] = (7, 0, 0)) -> str:
    """ZUNION/ZINTER/ZDIFF/ZINTERCARD (and *STORE) with numkeys below 1, as ``version`` words it."""
    if version < (6, 2, 0):
        return "ERR at least 1 input key is needed for ZUNIONSTORE/ZINTERSTORE"
    if version < (7, 0, 0):
        return f"ERR at least 1 input key is needed for {command}"
    return f"ERR at least 1 input key is needed for '{command}' command"
# --- connection and server commands ---------------------------------------------------------------
INVALID_CLIENT_ID = "ERR Invalid client ID"
CLIENT_ID_POSITIVE = "ERR client-id should be greater than 0"
UNBLOCK_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
PAUSE_MODE = "ERR CLIENT PAUSE mode must be WRITE or ALL"
CACHING_WITHOUT_TRACKING = (
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
    "OPTOUT mode enabled"
)
TRACKING_NO_REDIRECT_CLIENT = "ERR The client ID you want redirect to does not exist"
TRACKING_OPTIN_OPTOUT = "ERR You can't specify both OPTIN mode and OPTOUT mode"
TRACKING_PREFIX_NEEDS_BCAST = "ERR PREFIX option requires BCAST mode to be enabled"
TRACKING_BCAST_OPTIN = "ERR OPTIN and OPTOUT are not compatible with BCAST"
TRACKING_ONE_REDIRECT = "ERR A client can only redirect to a single other client"
TRACKING_SWITCH_BCAST = (
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "
    "re-enabling it with a different mode."
)
TRACKING_SWITCH_OPTIN_OPTOUT = (
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "
    "re-enabling it with a different mode."
)
CACHING_YES_NEEDS_OPTIN = (
    "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
CACHING_NO_NEEDS_OPTOUT = (
    "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")


def tracking_prefix_overlap(prefix: bytes, other: bytes, which: str) -> str:
    """A BCAST prefix overlapping ``which`` ("an existing" or "another provided") prefix."""
    return (f"ERR Prefix '{prefix.decode(errors='replace')}' overlaps with {which} prefix "
            f"'{other.decode(errors='replace')}'. Prefixes for a single client must not overlap.")
HELLO_NOAUTH = (
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
    "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
    "protocol version at the same time"
)
NO_CONFIG_FILE = "ERR The server is running without a config file"


def unknown_client_type(name: bytes) -> str:
    """CLIENT LIST/KILL TYPE with a type Redis does not know."""
    return f"ERR Unknown client type '{_text(name)}'"


def no_such_user(name: bytes) -> str:
    """CLIENT KILL USER with a user that does not exist."""
    return f"ERR No such user '{_text(name)}'"


def bad_subcommand_args(sub: bytes, container: str) -> str:
    """A subcommand whose own parser rejects the number of arguments (CLIENT PAUSE 1 ALL X)."""
    return (f"ERR unknown subcommand or wrong number of arguments for '{_text(sub)}'. "
            f"Try {container.upper()} HELP.")


def hello_syntax(option: bytes) -> str:
    """HELLO with an option it does not know, or missing its arguments."""
    return f"ERR Syntax error in HELLO option '{_text(option)}'"


def unrecognized_option(option: bytes) -> str:
    """CLIENT SETINFO with an attribute other than LIB-NAME or LIB-VER."""
    return f"ERR Unrecognized option '{_text(option)}'"


# --- scripting and functions -------------------------------------------------------------------
NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL."
NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative"
SCRIPT_UNKNOWN_COMMAND = "ERR Unknown Redis command called from script"
SCRIPT_WRONG_ARITY = "ERR Wrong number of args calling Redis command from script"
SCRIPT_NOT_ALLOWED = "ERR This Redis command is not allowed from script"
SCRIPT_WRITE_IN_READ_ONLY = "ERR Write commands are not allowed from read-only scripts."
SCRIPT_NO_ARGUMENTS = "ERR Please specify at least one argument for this redis lib call"
SCRIPT_BAD_ARGUMENT = "ERR Lua redis lib command arguments must be strings or integers"
SCRIPT_INVALID_SHEBANG = "ERR Invalid script shebang"
SCRIPT_FLUSH_MODE = "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
BUSY_SCRIPT = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
BUSY_FUNCTION = (
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)
NOTBUSY = "NOTBUSY No scripts in execution right now."
UNKILLABLE = (
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
    "NOSAVE command."
)


def script_compile_error(detail: str) -> str:
    """A script body Lua cannot compile."""
    return f"ERR Error compiling script (new function): {detail}"


def script_unexpected_engine(engine: str) -> str:
    """A shebang naming an engine other than lua."""
    return f"ERR Unexpected engine in script shebang: {engine}"


def script_unknown_shebang_option(option: str) -> str:
    """A shebang option other than flags=."""
    return f"ERR Unknown lua shebang option: {option}"


def script_unexpected_flag(flag: str) -> str:
    """A shebang flag Redis does not know."""
    return f"ERR Unexpected flag in script shebang: {flag}"
SCRIPT_DEBUG_MODE = "ERR Use SCRIPT DEBUG YES/SYNC/NO"
SCRIPT_DEBUG_MODE_BEFORE_6_2 = "ERR Use SCRIPT DEBUG yes/sync/no"
SCRIPT_DEBUG_UNSUPPORTED = "ERR SCRIPT DEBUG YES/SYNC is not supported by fakeredis"
BAD_DATA_FORMAT = "ERR Bad data format"
INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0"
INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255"
DUMP_UNSUPPORTED = "ERR fakeredis cannot DUMP a value of this type"
LUA_WRONG_ARGS = "ERR wrong number of arguments"
LUA_WRONG_ARGS_OR_TYPE = "ERR wrong number or type of arguments"
LUA_LOG_ARGS = "ERR redis.log() requires two arguments or more."
LUA_LOG_LEVEL = "ERR Invalid debug level."
LUA_SETRESP_ARGS = "ERR redis.setresp() requires one argument."
LUA_SETRESP_VERSION = "ERR RESP version must be 2 or 3."
LUA_SET_REPL_ARGS = "ERR redis.set_repl() requires two arguments."
LUA_SET_REPL_FLAGS = (
    "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."
)
LUA_ACL_CHECK_COMMAND = "ERR Invalid command passed to redis.acl_check_cmd()"
# --- geo -----------------------------------------------------------------------------------------
GEO_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI"
GEO_UNIT_LOWERCASE = "ERR unsupported unit provided. please use m, km, ft, mi"  # before 7.0
GEO_NEED_RADIUS = "ERR need numeric radius"
GEO_NEGATIVE_RADIUS = "ERR radius cannot be negative"
GEO_NEED_WIDTH = "ERR need numeric width"
GEO_NEED_HEIGHT = "ERR need numeric height"
GEO_NEGATIVE_BOX = "ERR height or width cannot be negative"
GEO_BAD_MEMBER = "ERR could not decode requested zset member"
GEO_ANY_NEEDS_COUNT = "ERR the ANY argument requires COUNT argument"
GEOADD_SYNTAX_BEFORE_6_2 = (
    "ERR syntax error. Try GEOADD key [x1] [y1] [name1] [x2] [y2] [name2] ... ")


def geo_invalid_pair(lon: float, lat: float) -> str:
    """GEOADD/GEORADIUS/GEOSEARCH with a point outside the valid ranges."""
    return "ERR invalid longitude,latitude pair %f,%f" % (lon, lat)


def geo_store_incompatible(what: str, version: tuple[int, ...] = (7, 0, 0)) -> str:
    """STORE/GEOSEARCHSTORE combined with WITHDIST, WITHHASH or WITHCOORD (6.x: one text for both,
    with Redis 6's spelling WITHCOORDS)."""
    if version < (7, 0, 0):
        return ("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and "
                "WITHCOORDS options")
    return f"ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"


def geo_need_from(command: str) -> str:
    """GEOSEARCH without FROMMEMBER or FROMLONLAT."""
    return f"ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {command}"


def geo_need_by(command: str) -> str:
    """GEOSEARCH without BYRADIUS or BYBOX."""
    return f"ERR exactly one of BYRADIUS and BYBOX can be specified for {command}"
# --- streams -------------------------------------------------------------------------------------
STREAM_INVALID_ID = "ERR Invalid stream ID specified as stream command argument"
STREAM_INVALID_START = "ERR invalid start ID for the interval"
STREAM_INVALID_END = "ERR invalid end ID for the interval"
STREAM_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0"
STREAM_ID_TOO_SMALL = (
    "ERR The ID specified in XADD is equal or smaller than the target stream top item"
)
STREAM_EXHAUSTED = "ERR The stream has exhausted the last possible ID, unable to add more items"
STREAM_MAXLEN_AND_MINID = (
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
)
STREAM_MAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0."
STREAM_LIMIT_NEGATIVE = "ERR The LIMIT argument must be >= 0."
STREAM_LIMIT_WITHOUT_STRATEGY = (
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
)
STREAM_LIMIT_WITHOUT_APPROX = "ERR syntax error, LIMIT cannot be used without the special ~ option"
STREAM_XTRIM_NEEDS_STRATEGY = "ERR syntax error, XTRIM must be called with a trimming strategy"
XSETID_ENTRIES_ADDED_NEGATIVE = "ERR entries_added must be positive"
XSETID_BELOW_GIVEN_MAX_DELETED = (
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
)
XSETID_BELOW_TOP = "ERR The ID specified in XSETID is smaller than the target stream top item"
XSETID_ENTRIES_ADDED_SMALL = (
    "ERR The entries_added specified in XSETID is smaller than the target stream length"
)
STREAM_GROUP_IN_XREAD = (
    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
)
STREAM_NOACK_IN_XREAD = (
    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
)
STREAM_MISSING_GROUP = "ERR Missing GROUP option for XREADGROUP"
STREAM_GT_IN_XREAD = (
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option."
)
STREAM_DOLLAR_IN_XREADGROUP = (
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
    "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would "
    "just return an empty result set."
)
STREAM_KEY_GONE = "UNBLOCKED the stream key no longer exists"
STREAM_GROUP_GONE = "NOGROUP the consumer group this client was blocked on no longer exists"
BUSYGROUP = "BUSYGROUP Consumer Group name already exists"
XGROUP_NO_KEY = (
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically."
)
XGROUP_ENTRIESREAD = "ERR value for ENTRIESREAD must be positive or -1"
# version-gated stream replies: the wording of servers before 7.0
XINFO_SYNTAX_6_0 = "ERR syntax error, try 'XINFO HELP'"
XTRIM_NO_OPTION_6_0 = "ERR XTRIM called without an option to trim the stream"
XCLAIM_BAD_MIN_IDLE = "ERR Invalid min-idle-time argument for XCLAIM"
XCLAIM_BAD_IDLE = "ERR Invalid IDLE option argument for XCLAIM"
XCLAIM_BAD_TIME = "ERR Invalid TIME option argument for XCLAIM"
XCLAIM_BAD_RETRYCOUNT = "ERR Invalid RETRYCOUNT option argument for XCLAIM"
XAUTOCLAIM_BAD_MIN_IDLE = "ERR Invalid min-idle-time argument for XAUTOCLAIM"
XAUTOCLAIM_COUNT = "ERR COUNT must be > 0"  # also GEOSEARCH/GEORADIUS COUNT
STREAM_UNBALANCED = (
    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."
)


def stream_block_in_script(command: str) -> str:
    """XREAD/XREADGROUP with BLOCK called from a script."""
    return f"ERR {command} command is not allowed with BLOCK option from scripts"


def stream_nogroup_read(key: bytes, group: bytes) -> str:
    """XREADGROUP naming a missing key or group."""
    return (f"NOGROUP No such key '{_text(key)}' or consumer group '{_text(group)}' in XREADGROUP "
            "with GROUP option")


def stream_nogroup(key: bytes, group: bytes) -> str:
    """XPENDING/XCLAIM/XAUTOCLAIM naming a missing key or group."""
    return f"NOGROUP No such key '{_text(key)}' or consumer group '{_text(group)}'"


def xgroup_nogroup(group: bytes, key: bytes) -> str:
    """XGROUP SETID/CREATECONSUMER/DELCONSUMER and XINFO CONSUMERS with a missing group."""
    return f"NOGROUP No such consumer group '{_text(group)}' for key name '{_text(key)}'"


def xclaim_unknown_option(option: bytes) -> str:
    """XCLAIM with a trailing word that is neither an id nor an option."""
    return f"ERR Unrecognized XCLAIM option '{_text(option)}'"


# --- ACL ------------------------------------------------------------------------------------------
NOPERM_KEY = "NOPERM this user has no permissions to access one of the keys used as arguments"
NOPERM_CHANNEL = ("NOPERM this user has no permissions to access one of the channels used as "
                  "arguments")
ACL_NO_FILE = (
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
    "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
    "configuration file set) in order to store users in the Redis configuration.")
ACL_SAVE_FAILED = ("ERR There was an error trying to save the ACLs. Please check the server logs "
                   "for more information")
ACL_USERNAME_SPACES = "ERR Usernames can't contain spaces or null characters"
ACL_DELETE_DEFAULT = "ERR The 'default' user cannot be removed"
ACL_GENPASS_BITS = ("ERR ACL GENPASS argument must be the number of bits for the output password, "
                    "a positive number up to 4096")


def noperm_command(fullname: str) -> str:
    """A user may not run this command (or subcommand)."""
    return f"NOPERM this user has no permissions to run the '{fullname}' command"


def acl_script_denied(why: str) -> str:
    """redis.call of a command the script's user may not run."""
    return f"ERR The user executing the script {why}"


def exec_aborted(why: str) -> str:
    """EXEC refused before it ran (NOPERM ...): the transaction is discarded."""
    return f"EXECABORT Transaction discarded because of: {why}"


def acl_changed_since_queued(why: str) -> str:
    """EXEC of a queued command the user's rules no longer allow."""
    return ("NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
            f"EXEC call. This command is no longer allowed for the following reason: {why}")


def acl_modifier(op: bytes, why: str) -> str:
    """ACL SETUSER with a rule it cannot apply."""
    return f"ERR Error in ACL SETUSER modifier '{_text(op)}': {why}"


def acl_unmatched_parenthesis(op: bytes) -> str:
    """ACL SETUSER with a selector that never closes."""
    return f"ERR Unmatched parenthesis in acl selector starting at '{_text(op)}'."


def acl_user_not_found(name: bytes) -> str:
    """ACL DRYRUN for a user that does not exist."""
    return f"ERR User '{_text(name)}' not found"


def acl_command_not_found(name: bytes) -> str:
    """ACL DRYRUN of a command that does not exist."""
    return f"ERR Command '{_text(name)}' not found"


def acl_unknown_category(name: bytes) -> str:
    """ACL CAT with a category Redis does not know."""
    return f"ERR Unknown category '{_text(name)[:128]}'"
FUNCTION_MISSING_METADATA = "ERR Missing library metadata"
FUNCTION_NO_LIBRARY_NAME = "ERR Library name was not given"
FUNCTION_NAME_TWICE = "ERR Invalid metadata value, name argument was given multiple times"
FUNCTION_BAD_LIBRARY_NAME = (
    "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least "
    "one character long"
)
FUNCTION_NONE_REGISTERED = "ERR No functions registered"
FUNCTION_LIBRARY_NOT_FOUND = "ERR Library not found"
FUNCTION_NOT_FOUND = "ERR Function not found"
FUNCTION_BAD_PAYLOAD = "ERR given payload is not a valid function payload"
FUNCTION_RESTORE_POLICY = (
    "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
)
FUNCTION_FLUSH_MODE = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
FUNCTION_LIST_NO_LIBRARY_NAME = "ERR library name argument was not given"
SCRIPT_WRITE_FLAG_IN_RO = "ERR Can not execute a script with write flag using *_ro command."


def function_engine_not_found(engine: bytes) -> str:
    """FUNCTION LOAD of code whose shebang names an unknown engine."""
    return f"ERR Engine '{_text(engine)}' not found"


def function_bad_metadata(option: bytes) -> str:
    """A library shebang option other than name=."""
    return f"ERR Invalid metadata value given: {_text(option)}"


def function_compile_error(detail: str) -> str:
    """Library code Lua cannot compile."""
    return f"ERR Error compiling function: {detail}"


def function_register_error(detail: str) -> str:
    """Library code that failed while it ran at load time."""
    return f"ERR Error registering functions: {detail}"


def function_library_exists(name: bytes, quoted: bool = True) -> str:
    """FUNCTION LOAD (quoted name) or RESTORE (bare name) of a library that exists."""
    shown = _text(name)
    return f"ERR Library '{shown}' already exists" if quoted else \
        f"ERR Library {shown} already exists"


def function_exists(name: bytes) -> str:
    """A library registering a function another library has."""
    return f"ERR Function {_text(name)} already exists"


def unknown_argument(arg: bytes) -> str:
    """FUNCTION LIST with an argument it does not know."""
    return f"ERR Unknown argument {_text(arg)}"
FCALL_BAD_NUMKEYS = "ERR Bad number of keys provided"


def unknown_option(arg: bytes) -> str:
    """FUNCTION LOAD with an option other than REPLACE."""
    return f"ERR Unknown option given: {_text(arg)}"
INVALID_FIRST_DB_INDEX = "ERR invalid first DB index"
INVALID_SECOND_DB_INDEX = "ERR invalid second DB index"
GETKEYS_INVALID_COMMAND = "ERR Invalid command specified"
GETKEYS_NO_KEYS = "ERR The command has no key arguments"
GETKEYS_BAD_ARITY = "ERR Invalid number of arguments specified for command"
GETKEYS_BAD_ARGUMENTS = "ERR Invalid arguments specified for command"
# Why CONFIG SET refused a value: the part after "CONFIG SET failed (...) - ".
CONFIG_DUPLICATE = "duplicate parameter"
CONFIG_IMMUTABLE = "can't set immutable config"
CONFIG_PROTECTED = "can't set protected config"
CONFIG_NOT_BOOL = "argument must be 'yes' or 'no'"
CONFIG_NOT_INTEGER = "argument couldn't be parsed into an integer"
CONFIG_NOT_MEMORY = "argument must be a memory value"
CONFIG_NOT_MEMORY_OR_PERCENT = "argument must be a memory or percent value"
CONFIG_PERCENT_OVER_100 = "percentage argument must be less or equal to 100"
CONFIG_SAVE = "Invalid save parameters"
CONFIG_NOTIFY_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
CONFIG_BUFFER_ARGS = "Wrong number of arguments in buffer limit configuration."
CONFIG_BUFFER_CLASS = "Invalid client class specified in buffer limit configuration."
CONFIG_BUFFER_VALUES = (
    "Error in hard, soft or soft_seconds setting in buffer limit configuration."
)
CONFIG_OOM_ARGS = "wrong number of arguments"
CONFIG_OOM_RANGE = "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
CONFIG_PERCENTILES = "Invalid latency-tracking-info-percentiles parameters"
CONFIG_PERCENTILES_RANGE = (
    "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
)


def config_set_failed(name: str, why: str) -> str:
    """CONFIG SET refused the value of ``name`` (as the client spelled it)."""
    return f"ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"


def config_unknown(name: str) -> str:
    """CONFIG SET of a parameter that does not exist."""
    return f"ERR Unknown option or number of arguments for CONFIG SET - '{name}'"


def config_range(low: int, high: int) -> str:
    """Why CONFIG SET refused a number outside the parameter's bounds."""
    return f"argument must be between {low} and {high} inclusive"


def config_enum(allowed: tuple[str, ...]) -> str:
    """Why CONFIG SET refused a word the parameter does not accept."""
    return "argument(s) must be one of the following: " + ", ".join(allowed)


# --- admin, cluster and debug commands (MEMORY SLOWLOG REPLICAOF MODULE DEBUG ...) ----------------
CLUSTER_DISABLED = "ERR This instance has cluster support disabled"
SLOWLOG_COUNT = "ERR count should be greater than or equal to -1"
WAIT_TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range"
WAIT_TIMEOUT_NEGATIVE = "ERR timeout is negative"
FAILOVER_NO_REPLICAS = "ERR FAILOVER requires connected replicas."
FAILOVER_NOT_IN_PROGRESS = "ERR No failover in progress."
FAILOVER_ON_REPLICA = "ERR FAILOVER is not valid when server is a replica."
FAILOVER_TIMEOUT = "ERR FAILOVER timeout must be greater than 0"
INVALID_MASTER_PORT = "ERR Invalid master port"
REPLCONF_UNRECOGNIZED = "ERR Unrecognized REPLCONF option: {}"
NO_REPLICATION = "ERR fakeredis does not replicate: SYNC and PSYNC are not supported"
MODULE_LOAD_FAILED = "ERR Error loading the extension. Please check the server logs."
MODULE_NO_SUCH_MODULE = "ERR Error unloading module: no such module with that name"
SHUTDOWN_NOT_IN_PROGRESS = "ERR No shutdown in progress."
MIGRATE_KEYS_WITH_KEY = (
    "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"
)
MIGRATE_IOERR = "IOERR error or timeout writing to target instance"
LATENCY_NO_SAMPLES = "ERR No samples available for event '{}'"
READONLY_REPLICA = "READONLY You can't write against a read only replica."
MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
SCRIPT_STALE_REPLICA = "ERR Can not execute the command on a stale replica"
MONITOR_KEYSPACE = "ERR Replica can't interact with the keyspace"
MONITOR_IN_TRANSACTION = "ERR MONITOR isn't allowed for DENY BLOCKING client"
DEBUG_RELOAD_OPTIONS = "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."


def command_not_allowed(name: str, option: str) -> str:
    """DEBUG or MODULE while enable-debug-command / enable-module-command forbids it."""
    return (f"ERR {name} command not allowed. If the {option} option is set to \"local\", you "
            "can run it from a local connection, otherwise you need to set this option in the "
            "configuration file, and then restart the server.")


def subcommand_syntax(sub: bytes, container: str, version: tuple[int, ...] = (7, 0, 0)) -> str:
    """An unknown subcommand or a wrong argument count found by the container itself (DEBUG ...)."""
    if version < (7, 0, 0):
        return unknown_subcommand(sub, container, version)
    return (f"ERR unknown subcommand or wrong number of arguments for '{_text(sub)[:128]}'. "
            f"Try {container.upper()} HELP.")
