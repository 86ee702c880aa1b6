-- Builds the bit, cjson, cmsgpack and struct tables scripts see, around Python implementations.
-- Each Python function returns (true, results...) or (false, message); errors are raised here
-- without a position, as errors from C libraries are.
local py = ...
local error, select, newproxy = error, select, newproxy

local function checked(ok, ...)
  if ok then return ... end
  error((...), 0)
end

local function wrap(f)
  return function(...) return checked(f(...)) end
end

local libs = {}
for libname, functions in pairs(py) do
  local lib = {}
  for name, f in pairs(functions) do lib[name] = wrap(f) end
  libs[libname] = lib
end

local null = newproxy(false)
libs.cjson.null = null
libs.cjson._NAME = 'cjson'
libs.cjson._VERSION = '2.1.0'
libs.cmsgpack._NAME = 'cmsgpack'
libs.cmsgpack._VERSION = 'lua-cmsgpack 0.4.0'
return libs, null
