{
  "targets": [
    {
      "target_name": "tensornode",
      "sources": ["<!@(node tools/sources.js)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "ldflags": ["-Wl,-z,nodelete"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
      "libraries": ["-ldl"],
      "conditions": [
        ["OS=='linux' and '<!(test -f /usr/include/x86_64-linux-gnu/cblas.h -o -f /usr/include/cblas.h && echo yes || echo no)'=='yes'", {
          "defines": ["TENSORNODE_HAVE_CBLAS"],
          "libraries": ["-lopenblas"]
        }],
        ["OS=='linux' and '<!(test -f /usr/include/oneapi/dnnl/dnnl.hpp && echo yes || echo no)'=='yes'", {
          "defines": ["TENSORNODE_HAVE_DNNL"],
          "libraries": ["-ldnnl", "-ldl"]
        }]
      ]
    }
  ]
}
