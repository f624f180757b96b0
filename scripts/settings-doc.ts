// Prints the settings table for the README.
import { settingsTable } from '../src/config/settings';

process.stdout.write(settingsTable() + '\n');
