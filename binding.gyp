# For node-gyp based tools (electron-rebuild, prebuildify --backend node-gyp): the same
# sources and the same libtorch as CMakeLists.txt, found by the same script.
{
  "targets": [
    {
      "target_name": "plm_torch",
      "sources": [
        "<!@(node -e \"const fs=require('fs');for(const d of ['native','native/torch','native/napi'])for(const f of fs.readdirSync(d))if(f.endsWith('.cc'))console.log(d+'/'+f)\")"
      ],
      "include_dirs": [
        "native",
        "<!(node -p \"require('path').dirname(require.resolve('node-addon-api/package.json'))\")",
        "<!@(node scripts/find-libtorch.mjs --gyp include)",
        "native/third_party/gloo-declarations"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "USE_C10D_GLOO",
        "<!@(node scripts/find-libtorch.mjs --gyp defines)"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-std=c++20", "-fexceptions", "-frtti", "-fvisibility=hidden", "-Wno-unused-parameter", "-fno-math-errno"],
      "libraries": ["<!@(node scripts/find-libtorch.mjs --gyp libraries)"],
      "ldflags": ["<!@(node scripts/find-libtorch.mjs --gyp ldflags)"]
    }
  ]
}
