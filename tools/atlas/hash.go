package main

import (
	"fmt"

	"ariga.io/atlas/sql/migrate"
	"github.com/spf13/cobra"
)

func newMigrateHashCmd() *cobra.Command {
	var dirURL, dirFormat string
	cmd := &cobra.Command{
		Use:   "hash [flags]",
		Short: "Hash (re-)creates an integrity hash file for the migration directory.",
		Long: `'atlas migrate hash' computes the integrity hash sum of the migration directory and stores it in the atlas.sum file.
This command should be used whenever a manual change in the migration directory was made.`,
		Example: `  atlas migrate hash --dir file://migrations`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := openDir(dirURL, dirFormat, false)
			if err != nil {
				return err
			}
			return hashDir(dir)
		},
	}
	addFlagDirURL(cmd.Flags(), &dirURL)
	addFlagDirFormat(cmd.Flags(), &dirFormat)
	cmd.Flags().Bool("force", false, "")
	cobra.CheckErr(cmd.Flags().MarkDeprecated("force", "you can safely omit it."))
	return cmd
}

// hashDir (re)writes the atlas.sum of dir from its current files.
func hashDir(dir migrate.Dir) error {
	sum, err := dir.Checksum()
	if err != nil {
		return fmt.Errorf("compute migration directory checksum: %w", err)
	}
	if err := migrate.WriteSumFile(dir, sum); err != nil {
		return fmt.Errorf("write %s: %w", migrate.HashFileName, err)
	}
	return nil
}
