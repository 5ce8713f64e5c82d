import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { FsLoader } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/core/types/ace'
import { MODULES_ROOT, moduleFolders } from './paths.js'

/**
 * Ace loader for the kernel's commands (app/commands) and every module's
 * (modules/<name>/commands). adonisrc names this file in `commands`: ace is
 * already running when providers boot, so a provider could not add them.
 */
const folders = [
  fileURLToPath(new URL('../../commands', import.meta.url)),
  ...moduleFolders().map((name) => `${MODULES_ROOT}${name}/commands`),
].filter((folder) => existsSync(folder))

const onlyCommands = (file: string) => !file.endsWith('.d.ts') && !file.includes('/_')
const loaders = folders.map((folder) => new FsLoader<any>(folder, onlyCommands))
const owner = new Map<string, FsLoader<any>>()

export async function getMetaData(): Promise<CommandMetaData[]> {
  const all: CommandMetaData[] = []
  for (const loader of loaders) {
    for (const meta of await loader.getMetaData()) {
      owner.set(meta.commandName, loader)
      all.push(meta)
    }
  }
  return all
}

export async function getCommand(meta: CommandMetaData) {
  const loader = owner.get(meta.commandName)
  return loader ? loader.getCommand(meta) : null
}
