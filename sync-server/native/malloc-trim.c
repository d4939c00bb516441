// A Node-API addon with one function, trim(): glibc's malloc_trim(0), which gives the operating system back the
// free pages inside malloc's heaps. Node exposes nothing like it, and glibc by itself only returns memory at the top
// of a heap. Freed socket frames and statement buffers leave free pages below live chunks, so a server that loaded
// and unloaded a thousand rooms would keep tens of MB of free malloc memory for good (bench/README.md, scenario 4).
// Built by scripts/native-build.mjs; loaded, when present, by sync-server/src/malloc-trim.ts. Without glibc it
// exports nothing (and the build script does not build it there).
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>

// trim() -> true when memory was given back, false when there was none to give.
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  if (napi_get_boolean(env, malloc_trim(0) == 1, &result) != napi_ok) return NULL;
  return result;
}
#endif

NAPI_MODULE_INIT() {
#if defined(__GLIBC__)
  napi_value fn;
  if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
#endif
  return exports;
}
