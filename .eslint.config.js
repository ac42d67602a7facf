// ESLint flat config. Named as a dotfile to keep the top level to the product's layout;
// `npm run lint` passes it with -c.
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import vueParser from 'vue-eslint-parser'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/components.d.ts', 'data/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Formatting is not the linter's job here; these fight readable templates.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/attributes-order': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@wecom/jssdk', message: 'Only src/wecom/ talks to the JS-SDK; call its typed functions.' }],
        },
      ],
      // One HTTP client, with one way of failing (ApiFailure): the screens call src/api's typed functions.
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Only src/api/ makes requests; call its typed functions.' }],
    },
  },
  { files: ['src/wecom/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['src/api/**'], rules: { 'no-restricted-imports': 'off', 'no-restricted-globals': 'off' } },
  // The simulator stands in for WeCom and talks to its own endpoints, not to our API.
  { files: ['src/simulator/**'], rules: { 'no-restricted-globals': 'off' } },
  { files: ['src/server/**', 'tests/**'], rules: { 'no-restricted-imports': 'off', 'no-restricted-globals': 'off' } },
)
