import adonis from '@adonisjs/prettier-config'

/** The AdonisJS style (and its Edge plugin), extended to Svelte components. */
export default {
  ...adonis,
  plugins: [...adonis.plugins, 'prettier-plugin-svelte'],
  overrides: [{ files: '*.svelte', options: { parser: 'svelte' } }],
}
