'use strict'

module.exports = require('neostandard')({
  ts: true,
  ignores: ['dist/**', 'dist-examples/**', 'build/**', 'coverage/**', 'node_modules/**']
})
