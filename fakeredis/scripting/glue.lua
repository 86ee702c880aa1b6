-- The Lua side of fakeredis scripting: sandbox, redis.* API, error handling, reply shapes.
-- Loaded once per LuaRuntime with (py, libs): py holds the Python callbacks (the redis.*
-- functions among them), libs the extra libraries (bit, cjson, cmsgpack, struct).
-- Returns the entry points Python uses.
local py, libs = ...

local type, error, tostring, select, unpack = type, error, tostring, select, unpack
local next, rawget, rawset, rawequal, setmetatable = next, rawget, rawset, rawequal, setmetatable
local pcall, xpcall, loadstring, load, setfenv = pcall, xpcall, loadstring, load, setfenv
local getinfo, sethook = debug.getinfo, debug.sethook
local GLUE = getinfo(1, 'S').source
local READONLY = 'Attempt to modify a readonly table'
local as_function = python.as_function  -- a Python callable as a real Lua (C) function
local unwrap = as_function(py.unwrap)

-- read-only tables: an empty proxy whose reads go to the real table
local real_of = setmetatable({}, {__mode = 'k'})
local function deny() error(READONLY, 2) end

local function readonly(t)
  local proxy = setmetatable({}, {__index = t, __newindex = deny, __metatable = false})
  real_of[proxy] = t
  return proxy
end

local function copy(t)
  local c = {}
  for k, v in next, t do c[k] = v end
  return c
end

-- errors --------------------------------------------------------------------------------------
-- The top-level error handler: a table with err, and where the user code failed.
local function handler(err)
  local level, info = 2, getinfo(2, 'Sl')
  while info and (info.what == 'C' or info.source == GLUE) do
    level = level + 1
    info = getinfo(level, 'Sl')
  end
  if type(err) == 'userdata' then
    local text, is_reply = unwrap(err)
    if is_reply then err = {err = text} elseif text then err = text end
  end
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if info then
    err.source = info.source
    err.line = info.currentline
  end
  return err
end

-- Redis's pcall: an error table with a string err field is caught as that string.
local function caught(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'userdata' then
    local text = unwrap(e)
    if text then return false, text end
  end
  if type(e) == 'table' then
    local text = rawget(e, 'err')
    if type(text) == 'string' or type(text) == 'number' then return false, text end
  end
  return false, e
end

local function sandbox_pcall(f, ...) return caught(pcall(f, ...)) end

-- the redis library ---------------------------------------------------------------------------
local redis = {
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
  REDIS_VERSION = py.version, REDIS_VERSION_NUM = py.version_num,
}

-- Python functions (not Lua closures), so that 'return redis.call(...)' keeps the caller's
-- frame for the error handler: a tail call to a Lua function would replace it.
for _, name in ipairs({'call', 'pcall', 'error_reply', 'status_reply', 'sha1hex', 'log',
                       'setresp', 'set_repl', 'acl_check_cmd'}) do
  redis[name] = as_function(py[name])
end

function redis.replicate_commands() return true end
function redis.breakpoint() return false end
function redis.debug() end

-- math.random with Redis's own generator, so scripts are deterministic
local math_lib = copy(math)
math_lib.random = as_function(py.random)
math_lib.randomseed = as_function(py.randomseed)

-- the sandbox ---------------------------------------------------------------------------------
local globals

-- chunks compiled by a script get the globals of what is running (an EVAL script or a
-- function), never the interpreter's own
local current_globals

local function sandboxed(f, err)
  if f then setfenv(f, current_globals) end
  return f, err
end

-- Redis's Lua never loads precompiled chunks: they are parsed as text (and fail to parse)
local function as_text(source)
  if type(source) == 'string' and source:byte(1) == 27 then return ' ' .. source end
  return source
end

local function sandbox_loadstring(source, chunkname)
  if chunkname == nil then chunkname = source end
  local f, err = sandboxed(loadstring(as_text(source), chunkname))
  return f, err
end

local function sandbox_load(reader, ...)
  if type(reader) == 'function' then
    local first = true
    local inner = reader
    reader = function()
      local piece = inner()
      if first then first = false; piece = as_text(piece) end
      return piece
    end
  end
  local f, err = sandboxed(load(reader, ...))
  return f, err
end

local function checked_table(t, fname)
  if type(t) ~= 'table' then
    error("bad argument #1 to '" .. fname .. "' (table expected, got " .. type(t) .. ')', 3)
  end
  return real_of[t] or t
end

-- Python objects (errors raised by Python callbacks) become what Redis would have raised
local function lua_error_value(e)
  if type(e) == 'userdata' then
    local text, is_reply = unwrap(e)
    if is_reply then return {err = text} end
    if text then return text end
  end
  return e
end

-- what getmetatable shows for strings and read-only tables; userdata never show theirs
local shown_mt = setmetatable({}, {__mode = 'k'})
local string_mt

local function sandbox_getmetatable(...)
  if select('#', ...) == 0 then error("bad argument #1 to 'getmetatable' (value expected)", 2) end
  local o = ...
  local kind = type(o)
  if kind == 'string' then return string_mt end
  if kind == 'userdata' then return nil end
  if kind == 'table' and real_of[o] then return shown_mt[o] end
  return getmetatable(o)
end

local function sandbox_xpcall(...)
  if select('#', ...) < 2 then error("bad argument #2 to 'xpcall' (value expected)", 2) end
  local f, h = ...
  return xpcall(f, function(e) return h(lua_error_value(e)) end)
end

local base = {
  assert = assert, collectgarbage = collectgarbage, error = error, gcinfo = gcinfo,
  getmetatable = sandbox_getmetatable, ipairs = ipairs, load = sandbox_load, loadstring = sandbox_loadstring,
  pcall = sandbox_pcall, rawequal = rawequal, select = select, tonumber = tonumber,
  tostring = tostring, type = type, unpack = unpack, xpcall = sandbox_xpcall, _VERSION = _VERSION,
  __redis__err__handler = handler,
  next = function(t, k) return next(checked_table(t, 'next'), k) end,
  pairs = function(t) return next, checked_table(t, 'pairs'), nil end,
  rawget = function(t, k) return rawget(checked_table(t, 'rawget'), k) end,
  rawset = function(t, k, v)
    if real_of[t] then error(READONLY, 0) end
    return rawset(t, k, v)
  end,
  setmetatable = function(t, mt)
    if real_of[t] then error(READONLY, 0) end
    return setmetatable(t, mt)
  end,
  string = readonly(string), table = readonly(table), math = readonly(math_lib),
  coroutine = readonly(coroutine), redis = readonly(redis),
}
for name, lib in next, libs do
  for key, value in next, lib do
    if type(value) == 'userdata' and key ~= 'null' then lib[key] = as_function(value) end
  end
  base[name] = readonly(lib)
end

local function missing(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end
setmetatable(base, {__index = missing})
globals = readonly(base)
base._G = globals
shown_mt[globals] = readonly({__index = missing})
string_mt = readonly({__index = base.string})
getmetatable('').__metatable = string_mt

-- killing a busy script -----------------------------------------------------------------------
local check = as_function(py.check)
local KILLED = 'ERR Script killed by user with SCRIPT KILL...'
local line_mode = false
local function hook()
  if check() and getinfo(2, 'S').source ~= GLUE then
    -- every line from now on, so that pcall cannot swallow the kill
    line_mode = true
    sethook(hook, 'l')
    error({err = KILLED})
  end
end
sethook(hook, '', 100000)

-- coroutines: each thread needs the hook of its own (a Lua hook is kept per thread)
local co_create, co_wrap, co_resume = coroutine.create, coroutine.wrap, coroutine.resume
local function set_hook(co)
  local mask, count = '', 100000
  if line_mode then mask, count = 'l', 0 end
  if co then sethook(co, hook, mask, count) else sethook(hook, mask, count) end
end

local function lua_function(f, fname)
  if type(f) ~= 'function' or getinfo(f, 'S').what == 'C' then
    error("bad argument #1 to '" .. fname .. "' (Lua function expected)", 3)
  end
end

local function resumed(ok, ...)
  if ok then return ok, ... end
  return false, lua_error_value((...))
end

local co_lib = copy(coroutine)
function co_lib.create(f)
  lua_function(f, 'create')
  local co = co_create(f)
  set_hook(co)
  return co
end
function co_lib.wrap(f)
  lua_function(f, 'wrap')
  return co_wrap(function(...)
    set_hook()
    return f(...)
  end)
end
function co_lib.resume(co, ...)
  if type(co) ~= 'thread' then error("bad argument #1 to 'resume' (coroutine expected)", 2) end
  return resumed(co_resume(co, ...))
end
base.coroutine = readonly(co_lib)

-- entry points --------------------------------------------------------------------------------
local api = {}
local finish

function api.compile(source, chunkname)
  local f, err = loadstring(as_text(source), chunkname)
  if not f then return nil, err end
  setfenv(f, globals)
  return f, nil
end

-- Run a compiled script with KEYS and ARGV. Returns false, error table; or true, false, value;
-- or true, true, shape of the table the script returned (saves Python a call).
function api.run(f, numkeys, ...)
  local keys, argv, args = {}, {}, {...}
  for i = 1, numkeys do keys[i] = args[i] end
  for i = numkeys + 1, #args do argv[i - numkeys] = args[i] end
  rawset(base, 'KEYS', keys)
  rawset(base, 'ARGV', argv)
  current_globals = globals
  if line_mode then
    line_mode = false
    sethook(hook, '', 100000)
  end
  return finish(xpcall(f, handler))
end

-- The error table of a failed run: text, source, line.
function api.error_info(err)
  local text = rawget(err, 'err')
  if type(text) ~= 'string' then text = nil end
  return text, err.source, err.line
end

-- How a Lua value becomes a Redis reply: a kind code and its payload, in one call.
-- 0 array (items follow), 1 error, 2 status, 3 double, 4 big number, 5 map (k, v ...),
-- 6 set (members ...), 7 verbatim (format, text), 8 long array (length follows)
function api.shape(t)
  local v = rawget(t, 'err')
  if type(v) == 'string' then return 1, v end
  v = rawget(t, 'ok')
  if type(v) == 'string' then return 2, v end
  v = rawget(t, 'double')
  if type(v) == 'number' then return 3, v end
  v = rawget(t, 'big_number')
  if type(v) == 'string' then return 4, v end
  v = rawget(t, 'map')
  if type(v) == 'table' then
    local flat, n = {}, 0
    for key, value in next, v do
      flat[n + 1], flat[n + 2], n = key, value, n + 2
    end
    return 5, unpack(flat, 1, n)
  end
  v = rawget(t, 'set')
  if type(v) == 'table' then
    local members, n = {}, 0
    for key in next, v do n = n + 1; members[n] = key end
    return 6, unpack(members, 1, n)
  end
  v = rawget(t, 'verbatim_string')
  if type(v) == 'table' then
    local fmt, text = rawget(v, 'format'), rawget(v, 'string')
    if type(fmt) == 'string' and type(text) == 'string' then return 7, fmt, text end
  end
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  if n > 4000 then return 8, n, t end
  return 0, unpack(t, 1, n)
end

function api.slice(t, i, j) return unpack(t, i, j) end

finish = function(ok, ...)
  if not ok then return false, ... end
  local value = ...
  if type(value) == 'table' then return true, true, api.shape(value) end
  return true, false, value
end

function api.status(text) return {ok = text} end

function api.error(text) return {err = text} end

-- functions (FUNCTION LOAD / FCALL) ----------------------------------------------------------
-- Libraries run in their own globals: while a library loads only a small redis table exists;
-- once loaded (and in FCALL) the usual libraries are visible, without KEYS, ARGV or the
-- EVAL-only redis helpers. One proxy serves both, its __index switched around a load.
local fn_redis = copy(redis)
fn_redis.breakpoint, fn_redis.debug, fn_redis.replicate_commands = nil, nil, nil
local fn_base = copy(base)
fn_base.__redis__err__handler = nil
fn_base.redis = readonly(fn_redis)
setmetatable(fn_base, {__index = missing})

local load_redis = {
  log = redis.log, LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = py.version, REDIS_VERSION_NUM = py.version_num,
}
setmetatable(load_redis, {__index = missing})
local load_base = setmetatable({redis = readonly(load_redis)}, {__index = missing})

local fn_mt = {__index = fn_base, __newindex = deny, __metatable = false}
local fn_globals = setmetatable({}, fn_mt)
real_of[fn_globals] = fn_base
fn_base._G = fn_globals

local FUNCTION_FLAGS = {['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true,
                        ['no-cluster'] = true, ['allow-cross-slot-keys'] = true}
local REGISTER_KEYS = {function_name = true, callback = true, flags = true, description = true}

local function register_error(msg) error({err = 'ERR ' .. msg}) end

-- redis.register_function, positional (name, callback) or named ({function_name = ...}).
local function registrar(registered)
  return function(...)
    local n, first, callback = select('#', ...), ...
    local name, flags, description
    if n == 1 then
      if type(first) ~= 'table' then
        register_error('calling redis.register_function with a single argument is only ' ..
                       'applicable to Lua table (representing named arguments).')
      end
      for key in next, first do
        if not REGISTER_KEYS[key] then
          register_error('unknown argument given to redis.register_function')
        end
      end
      name, callback = rawget(first, 'function_name'), rawget(first, 'callback')
      flags, description = rawget(first, 'flags'), rawget(first, 'description')
    elseif n == 2 then
      name = first
    else
      register_error('wrong number of arguments to redis.register_function')
    end
    if type(name) ~= 'string' then
      register_error('redis.register_function must get a function name argument')
    end
    if type(callback) ~= 'function' then
      if n == 2 then register_error('second argument to redis.register_function must be a function') end
      register_error('redis.register_function must get a callback argument')
    end
    if not name:match('^[%w_]+$') then
      -- sic: Redis 7.0 words this check on function names as the one on library names
      register_error('Library names can only contain letters, numbers, or underscores(_) and ' ..
                     'must be at least one character long')
    end
    local flag_list = {}
    if flags ~= nil then
      if type(flags) ~= 'table' then register_error('flags argument to redis.register_function must be a table representing function flags') end
      for _, flag in ipairs(flags) do
        if not FUNCTION_FLAGS[flag] then register_error('unknown flag given') end
        flag_list[#flag_list + 1] = flag
      end
    end
    if type(description) ~= 'string' then description = nil end
    if registered[name] then register_error('Function already exists in the library') end
    registered[name] = true
    registered[#registered + 1] = {name, callback, flag_list, description or false}
  end
end

-- Compile and run a library's code; 0 and its registrations, 1 and a compile error, or 2 and
-- the error table of a failure while it ran.
function api.load_library(source)
  local f, err = loadstring(source, '@user_function')
  if not f then return 1, err end
  setfenv(f, fn_globals)
  local registered = {}
  load_redis.register_function = registrar(registered)
  fn_mt.__index, real_of[fn_globals] = load_base, load_base
  local ok, failure = xpcall(f, handler)
  fn_mt.__index, real_of[fn_globals] = fn_base, fn_base
  load_redis.register_function = nil
  if not ok then return 2, failure end
  local out = {}
  for i, r in ipairs(registered) do
    out[i] = {r[1], r[2], table.concat(r[3], ','), r[4]}
  end
  return 0, out
end

-- Call a registered function with its keys and arguments; returns like api.run.
function api.call_function(f, numkeys, ...)
  local keys, argv, args = {}, {}, {...}
  for i = 1, numkeys do keys[i] = args[i] end
  for i = numkeys + 1, #args do argv[i - numkeys] = args[i] end
  if line_mode then
    line_mode = false
    sethook(hook, '', 100000)
  end
  current_globals = fn_globals
  return finish(xpcall(function() return f(keys, argv) end, handler))
end

return api
