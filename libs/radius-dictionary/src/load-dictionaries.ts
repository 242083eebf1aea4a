import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, describeKey } from '@tollgate/config';
import { type Dictionary, DictionaryError, emptyDictionary } from './dictionary-model.js';
import { loadDictionaryFile, type ReadFile } from './parse-dictionary.js';

/**
 * The dictionary the gateway encodes with and the admin API validates with: the shipped files
 * (dictionaries/dictionary, FreeRADIUS's own copies, CC-BY 4.0), then every `dictionary.*` file
 * of RADIUS_DICTIONARY_DIR in name order. Both services read the same key, so both know the same
 * attributes; a file that does not load stops start-up with its file and line.
 */
export const SHIPPED_DICTIONARY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dictionaries', 'dictionary');

export const dictionaryConfigShape = {
  RADIUS_DICTIONARY_DIR: describeKey(
    env.string(''),
    'directory of extra FreeRADIUS-format dictionaries (`dictionary.*` files) for reply attributes, on top of the shipped ones; the gateway and the admin API must see the same files',
    '(none)',
  ),
};

export const readFromDisk: ReadFile = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

export function loadDictionaries(options: { directory?: string; read?: ReadFile } = {}): Dictionary {
  const read = options.read ?? readFromDisk;
  const dictionary = emptyDictionary();
  loadDictionaryFile(dictionary, SHIPPED_DICTIONARY, read);
  if (options.directory) {
    for (const file of dictionaryFilesIn(options.directory)) loadDictionaryFile(dictionary, file, read);
  }
  return dictionary;
}

function dictionaryFilesIn(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    throw new DictionaryError(
      'include',
      directory,
      0,
      `RADIUS_DICTIONARY_DIR cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return names
    .filter((name) => name.startsWith('dictionary.'))
    .sort()
    .map((name) => path.join(directory, name))
    .filter((file) => statSync(file).isFile());
}
